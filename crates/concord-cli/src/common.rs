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
/// the flag of the subcommand run (`command`, its path of names) (`--fix "price=cheap": …`),
/// and the flags that would get past it.
pub fn with_flags(e: &anyhow::Error, command: &[&str]) -> String {
    let mut message = format!("{e:#}");
    let Some(api) = e.downcast_ref::<concord_api::Error>() else {
        return message;
    };
    if let Some(r) = api.request() {
        let (head, tail) = r.field.split_once(' ').unwrap_or((r.field.as_str(), ""));
        let mut cli = r.clone();
        cli.field = if tail.is_empty() {
            flag(command, head, false)
        } else {
            format!("{} {tail}", flag(command, head, false))
        };
        message = message.replace(&r.to_string(), &cli.to_string());
    }
    // The flag, unless the message already names it.
    if let Some(field) = api
        .remedy()
        .filter(|f| !message.contains(&flag(command, f, false)))
    {
        let raise = if api.kind() == concord_api::ErrorKind::Limit {
            "raise it with "
        } else {
            ""
        };
        message.push_str(&format!(" ({raise}{})", flag(command, field, true)));
    }
    message
}

/// How the subcommand `command` names a request field: the flag whose long name is the field's
/// with hyphens, with the name of its value when `value` (`max_nodes`: `--max-nodes N`), or
/// the positional argument of that id (`proposal`: `PROPOSAL`). The api's names that stand for
/// several fields are spelled out.
fn flag(command: &[&str], field: &str, value: bool) -> String {
    let long = field.replace('_', "-");
    let mut cmd = crate::command();
    for name in command {
        match cmd.find_subcommand(name) {
            Some(sub) => cmd = sub.clone(),
            None => break,
        }
    }
    let name = |a: &clap::Arg| {
        a.get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().as_str().to_uppercase(), ToString::to_string)
    };
    let found = cmd.get_arguments().find_map(|a| match a.get_long() {
        Some(l) if l == long && value && a.get_action().takes_values() => {
            Some(format!("--{l} {}", name(a)))
        }
        Some(l) if l == long => Some(format!("--{l}")),
        None if a.is_positional() && a.get_id() == field => Some(name(a)),
        _ => None,
    });
    match (field, found) {
        ("variant", _) => "--what-if".to_string(),
        ("fill", _) => "--package ISSUE=OPTION,… or --fill CONCEPT".to_string(),
        ("versions", _) => "--from ID and --to ID".to_string(),
        ("config", _) => "--scenarios, --strategies and --out, or a --config file".to_string(),
        (_, Some(flag)) => flag,
        (field, None) => field.to_string(),
    }
}
