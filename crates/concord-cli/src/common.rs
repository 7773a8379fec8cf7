//! What every subcommand shares: printing reports and notes, the bad-input error, flags named in
//! messages.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use concord_api::{Report, ScenarioInput};
use concord_core::names::Named;

/// The value parser of a flag that names a library choice ([`Named`]): the words, and their
/// help, that every front end accepts.
pub fn named<T: Named + Clone + Send + Sync>() -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        T::ALL
            .iter()
            .map(|v| PossibleValue::new(v.name()).help(v.help())),
    )
    .try_map(|word| T::parse(&word).ok_or_else(|| format!("expected {}", T::expected())))
}

/// A failure that is the user's input, reported with exit code 2.
pub struct BadInput(pub anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for BadInput {
    fn from(e: E) -> Self {
        BadInput(e.into())
    }
}

/// Writes a text report to standard output, its prose wrapped to the width reports fit. A
/// closed pipe (`concord … | head`) ends the process quietly with status 0, as other Unix tools
/// do, instead of a panic.
pub fn emit(text: &str) {
    emit_raw(&concord_report::layout::fit(text));
}

/// Writes text to standard output as it is (JSON, completions, a man page); a closed pipe ends
/// the process quietly.
pub fn emit_raw(text: &str) {
    write_stdout(|out| out.write_all(text.as_bytes()));
}

/// Streams what `write` writes to standard output, buffered; a closed pipe ends the process
/// quietly, and another failure with status 2.
pub fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

/// Writes a note (`what` is `note` or `warning`) to standard error, wrapped to the width reports
/// fit, as prose is on standard output.
pub fn note(what: &str, text: &str) {
    eprint!(
        "{}",
        concord_report::layout::fit(&format!("{what}: {text}\n"))
    );
}

/// Prints a report: as pretty JSON with `json`, else as text. Returns the exit status of its
/// answer ([`exit_status`]).
pub fn print(report: &impl Report, json: bool) -> ExitCode {
    if json {
        let mut text =
            serde_json::to_string_pretty(&report.json()).expect("reports are plain JSON values");
        text.push('\n');
        emit_raw(&text);
    } else {
        emit(&report.text());
    }
    exit_status(report.answer())
}

/// The exit status of a report's answer: 1 for a negative one a script may branch on, else 0.
pub fn exit_status(answer: Option<bool>) -> ExitCode {
    if answer == Some(false) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The texts of a scenario file's sources, read from `dir` once the file itself is read: the
/// file is refused before the folder is looked at.
pub fn source_texts(input: &ScenarioInput, dir: &Path) -> Result<Vec<Option<String>>, BadInput> {
    let loaded = concord_api::load(input, false)?;
    Ok(concord_api::fs::read_source_texts(
        &loaded.scenario.sources,
        dir,
    )?)
}

/// The hint of an error about source texts read from `dir` when none could be read.
pub fn sources_hint(
    e: concord_api::Error,
    texts: &[Option<String>],
    dir: &Path,
) -> concord_api::Error {
    if texts.iter().all(Option::is_none) {
        e.with_hint(format!(
            "the folder {} holds none of them: --sources should name the folder that holds them",
            dir.display()
        ))
    } else {
        e
    }
}

/// An error's whole chain, with a request field the api names (`fix "price=cheap": …`) named as
/// this command's flag (`--fix "price=cheap": …`), and the flags that would get past it.
pub fn with_flags(e: &anyhow::Error) -> String {
    let mut message = format!("{e:#}");
    let Some(api) = e.downcast_ref::<concord_api::Error>() else {
        return message;
    };
    if let Some(r) = api.request() {
        let (head, tail) = r.field.split_once(' ').unwrap_or((r.field.as_str(), ""));
        let mut cli = r.clone();
        cli.field = if tail.is_empty() {
            flag(head).to_string()
        } else {
            format!("{} {tail}", flag(head))
        };
        message = message.replace(&r.to_string(), &cli.to_string());
    }
    match api.remedy() {
        Some("fill") => {
            message.push_str(" (--package ISSUE=OPTION,… or --fill CONCEPT)");
        }
        // The flag, unless the message already names it (a hint that says how to raise it).
        Some(field) if !message.contains(flag(field)) => {
            message.push_str(&format!(" ({})", flag(field)));
        }
        Some(_) | None => {}
    }
    message
}

/// The flag of a request field.
fn flag(field: &str) -> &str {
    match field {
        "drop_red_line" => "--drop-red-line",
        "set_reservation" => "--set-reservation",
        "set_weight" => "--set-weight",
        "fix" => "--fix",
        "variant" => "--what-if",
        "package" => "--package",
        "keep" => "--keep",
        "fill" => "--fill",
        "proposal" => "PROPOSAL",
        "drop_demand" => "--drop-demand",
        "rounds" => "--rounds",
        "time_limit" => "--time-limit",
        "strategy" => "--strategy",
        "default_strategy" => "--default-strategy",
        "repetitions" => "--repetitions",
        "max_negotiations" => "--max-negotiations",
        "strategies" => "--strategies",
        "threads" => "--threads",
        "config" => "--scenarios, --strategies and --out, or a --config file",
        "max_partial_sums" => "raise it with --max-partial-sums",
        "max_merge_work" => "raise it with --max-merge-work",
        "max_nodes" => "raise it with --max-nodes",
        other => other,
    }
}
