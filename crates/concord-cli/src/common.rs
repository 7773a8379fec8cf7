//! What every subcommand shares: reading a scenario, printing JSON, the bad-input error.

use std::path::Path;

use anyhow::Context;
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

/// Prints a report as pretty JSON.
pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("reports are plain JSON values")
    );
}
