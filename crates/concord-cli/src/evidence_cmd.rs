//! `concord evidence` and `concord commitments`. (Being written: see issue 6.)

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::common::BadInput;

/// Subcommands of `concord evidence`.
#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Extract candidate claims from plain-text reports.
    Extract {
        /// Folder of reports.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `concord commitments`.
#[derive(Args)]
pub struct CommitmentsArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
}

/// Runs `concord evidence …`.
pub fn run_evidence(_command: &EvidenceCommand) -> Result<ExitCode, BadInput> {
    Err(BadInput(anyhow::anyhow!(
        "`concord evidence` is not available in this build"
    )))
}

/// Runs `concord commitments`.
pub fn run_commitments(_args: &CommitmentsArgs) -> Result<ExitCode, BadInput> {
    Err(BadInput(anyhow::anyhow!(
        "`concord commitments` is not available in this build"
    )))
}
