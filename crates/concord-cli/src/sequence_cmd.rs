//! `concord sequence` and `concord diff`. (Being written: see issue 4.)

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::common::BadInput;

/// Arguments of `concord sequence`.
#[derive(Args)]
pub struct SequenceArgs {
    /// The scenario file (TOML) with `[[steps]]` and `[[demands]]`.
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `concord diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The older version.
    pub old: PathBuf,
    /// The newer version.
    pub new: PathBuf,
}

/// Runs `concord sequence`.
pub fn run_sequence(_args: &SequenceArgs) -> Result<ExitCode, BadInput> {
    Err(BadInput(anyhow::anyhow!(
        "`concord sequence` is not available in this build"
    )))
}

/// Runs `concord diff`.
pub fn run_diff(_args: &DiffArgs) -> Result<ExitCode, BadInput> {
    Err(BadInput(anyhow::anyhow!(
        "`concord diff` is not available in this build"
    )))
}
