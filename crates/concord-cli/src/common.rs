//! What every subcommand shares: reading files into memory, printing, the bad-input error.

use std::path::Path;

use anyhow::Context;
use concord_core::names::Named;
use concord_io::genius::{NamedText, Normalization};

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
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

/// Prints a report as pretty JSON.
pub fn print_json(value: &serde_json::Value) {
    let mut text = serde_json::to_string_pretty(value).expect("reports are plain JSON values");
    text.push('\n');
    emit_raw(&text);
}

/// The files of a Genius or GeniusWeb folder: its `.xml` and `.json` entries. An entry with such
/// a name that is not a regular file (a dangling link, a link loop, a pipe, a device or a
/// folder) is an error rather than skipped: a profile left out silently would remove a party
/// from the analysis.
pub fn read_folder(dir: &Path) -> Result<Vec<NamedText>, BadInput> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read folder {}", dir.display()))?
            .path();
        let is_data = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("json"));
        if !is_data {
            continue;
        }
        // `metadata` follows links without opening anything, so a pipe never blocks here.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => {
                return Err(BadInput(anyhow::anyhow!(
                    "{}: not a regular file (a folder, device or pipe); a Genius folder's .xml and .json entries must be files",
                    path.display()
                )))
            }
            Err(e) => {
                let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                return Err(BadInput(anyhow::anyhow!(
                    "{}: {}; a Genius folder's .xml and .json entries must be files",
                    path.display(),
                    if link {
                        format!("a symbolic link that leads to no file (dangling, or a loop): {e}")
                    } else {
                        format!("cannot be read: {e}")
                    }
                )));
            }
        }
        let text = read_text(&path, "file")?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        files.push(NamedText { name, text });
    }
    Ok(files)
}

/// A scenario file or a Genius/GeniusWeb folder, read into memory for the application layer,
/// named by its path in every message.
pub fn input(
    path: &Path,
    normalization: Normalization,
) -> Result<concord_api::ScenarioInput, BadInput> {
    let name = path.display().to_string();
    if !path.is_dir() {
        return Ok(concord_api::ScenarioInput::Toml {
            text: read_text(path, "scenario file")?,
            name,
        });
    }
    let files = read_folder(path)?;
    if files.is_empty() {
        return Err(BadInput(not_a_genius_folder(path)));
    }
    Ok(concord_api::ScenarioInput::Genius {
        name,
        files,
        normalization,
    })
}

/// A scenario file (TOML only) read into memory for the application layer.
pub fn toml_input(path: &Path) -> Result<concord_api::ScenarioInput, BadInput> {
    Ok(concord_api::ScenarioInput::Toml {
        text: read_text(path, "scenario file")?,
        name: path.display().to_string(),
    })
}

/// The error for a folder that holds no Genius or GeniusWeb files: what a folder should hold,
/// and the scenario files it holds instead, if any.
fn not_a_genius_folder(dir: &Path) -> anyhow::Error {
    let mut tomls: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .map(|p| p.display().to_string())
        .collect();
    tomls.sort();
    let expected = "a folder should be a Genius domain (a domain .xml file and one profile .xml \
                    file per party) or a GeniusWeb domain (.json files)";
    match tomls.first() {
        Some(first) => anyhow::anyhow!(
            "{} is a folder of {} scenario files, not a Genius folder: name one file (for example {first}); {expected}",
            dir.display(),
            tomls.len()
        ),
        None => anyhow::anyhow!("{} holds no .xml or .json files: {expected}", dir.display()),
    }
}

/// The largest input file Concord reads (scenario files, Genius files, configurations): far
/// beyond any real negotiation, and a guard against `/dev/zero` or a mistaken data file.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads a text file (`what` names it in messages): a regular file of at most
/// [`MAX_INPUT_BYTES`], in UTF-8. A byte that is not UTF-8 is reported with its byte offset,
/// line and column.
pub fn read_text(path: &Path, what: &str) -> Result<String, BadInput> {
    use std::io::Read;
    let cannot = || format!("cannot read {what} {}", path.display());
    let file = std::fs::File::open(path).with_context(cannot)?;
    let meta = file.metadata().with_context(cannot)?;
    if !meta.is_file() {
        return Err(BadInput(anyhow::anyhow!(
            "{}: not a regular file (a folder, device or pipe); expected a {what}",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(BadInput(anyhow::anyhow!(
            "{}: larger than {} MiB, the most Concord reads as a {what}",
            path.display(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Everything before the bad byte is valid UTF-8, so lines and columns are countable.
        let good = std::str::from_utf8(good).unwrap_or_default();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        BadInput(anyhow::anyhow!(
            "{}:{line}:{column}: found a byte that is not UTF-8 (byte offset {}), expected a {what} in UTF-8",
            path.display(),
            good.len()
        ))
    })
}

/// The texts of a scenario's sources, read from `dir` (one per source, in order; `None` for a
/// text that cannot be read). The api refuses texts none of which could be read.
pub fn read_source_texts(
    scenario: &concord_core::model::Scenario,
    dir: &Path,
) -> Result<Vec<Option<String>>, BadInput> {
    if !dir.is_dir() {
        return Err(BadInput(anyhow::anyhow!(
            "the sources folder {} does not exist",
            dir.display()
        )));
    }
    Ok(scenario
        .sources
        .iter()
        .map(|s| read_text(&dir.join(&s.file), "source").ok())
        .collect())
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
        Some(field) => message.push_str(&format!(" ({})", flag(field))),
        None => {}
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
        "strategies" => "--strategies",
        "threads" => "--threads",
        "config" => "--scenarios, --strategies and --out, or a --config file",
        "max_partial_sums" => "raise it with --max-partial-sums",
        "max_merge_work" => "raise it with --max-merge-work",
        "max_nodes" => "raise it with --max-nodes",
        other => other,
    }
}
