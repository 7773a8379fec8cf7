//! What every subcommand shares: reading a scenario, printing JSON, the bad-input error.

use std::path::Path;

use anyhow::Context;
use concord_format::genius::{read_genius, NamedText, Normalization};
use concord_format::scenario::{read_scenario, LoadedScenario, ReadOptions};
use concord_format::FormatError;

/// A failure that is the user's input, reported with exit code 2.
pub struct BadInput(pub anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for BadInput {
    fn from(e: E) -> Self {
        BadInput(e.into())
    }
}

/// Reads and checks a scenario file.
pub fn load(file: &Path, options: &ReadOptions) -> Result<LoadedScenario, BadInput> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read scenario file {}", file.display()))?;
    read_scenario(&text, &file.display().to_string(), options).map_err(|e| match e {
        // The diagnostics already name the file on every line.
        FormatError::Invalid(d) => BadInput(anyhow::anyhow!("{}", d.to_string().trim_end())),
        other => BadInput(other.into()),
    })
}

/// Writes a report to standard output. A closed pipe (`concord … | head`) ends the process
/// quietly with status 0, as other Unix tools do, instead of a panic.
pub fn emit(text: &str) {
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
    emit(&text);
}

/// The files of a Genius or GeniusWeb folder.
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
        if path.is_file() && is_data {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            files.push(NamedText { name, text });
        }
    }
    Ok(files)
}

/// Reads a scenario from a TOML file or a Genius/GeniusWeb folder.
pub fn load_any(
    path: &Path,
    options: &ReadOptions,
    normalization: Normalization,
) -> Result<LoadedScenario, BadInput> {
    if !path.is_dir() {
        return load(path, options);
    }
    let files = read_folder(path)?;
    let scenario = read_genius(&files, normalization).map_err(|e| match e {
        FormatError::Invalid(d) => BadInput(anyhow::anyhow!("{}", d.to_string().trim_end())),
        other => {
            BadInput(anyhow::Error::new(other).context(format!("cannot import {}", path.display())))
        }
    })?;
    Ok(LoadedScenario {
        scenario,
        citation_sites: Default::default(),
        register: Vec::new(),
    })
}
