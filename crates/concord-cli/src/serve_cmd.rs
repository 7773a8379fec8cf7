//! `concord serve` (the mediation server) and `concord audit verify` (a room's exported audit
//! chain, checked offline).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::common::BadInput;
use crate::interactive;

#[derive(Args)]
pub struct ServeArgs {
    /// The database: a SQLite file (created if missing), or `postgres://USER@HOST/DB`.
    #[arg(long, value_name = "URL", default_value = "concord-server.db")]
    database: String,
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// How many revealing questions a room may ask per hour (docs/server.md says why).
    #[arg(long, value_name = "N", default_value_t = 30)]
    queries_per_hour: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    body_limit: usize,
    /// Open a scenario file in the dashboard's analyst views (repeat for several); turns the
    /// analyst endpoints (`/analyst/…`) on (docs/dashboard.md).
    #[arg(long, value_name = "FILE")]
    open: Vec<PathBuf>,
    /// A folder of plain-text reports (`*.txt`): the sources the opened scenarios cite, for the
    /// claims' standing and the conflicts between reports.
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
    /// The most bytes of reports read from the --sources folder, all its .txt files together.
    #[arg(long, value_name = "BYTES", default_value_t = crate::evidence_cmd::MAX_REPORT_BYTES)]
    max_report_bytes: u64,
    /// Turn the analyst endpoints on without opening a file (files are then uploaded from the
    /// dashboard). They answer anyone who can reach the server: keep it on a private address.
    #[arg(long)]
    analyst: bool,
}

pub fn run_serve(args: &ServeArgs) -> Result<ExitCode, BadInput> {
    let mut config = concord_server::Config::new(args.database.clone());
    config.queries_per_window = args.queries_per_hour;
    config.query_window = Duration::from_secs(3600);
    config.body_limit = args.body_limit;
    if args.open.is_empty() && !args.analyst && args.sources.is_some() {
        return Err(BadInput(anyhow::anyhow!(
            "--sources is for the analyst views: give --open FILE or --analyst with it"
        )));
    }
    let workspace = if args.open.is_empty() && !args.analyst {
        concord_server::Workspace::disabled()
    } else {
        concord_server::Workspace::with_files(
            &args.open,
            args.sources.as_deref(),
            args.max_report_bytes,
        )?
    };
    // Ctrl-C lets requests under way finish, then ends the server.
    interactive::stops_itself();
    let database = config.database.clone();
    concord_server::run_until(
        config,
        workspace,
        args.listen,
        interactive::stop_handle(),
        |address| {
            eprintln!(
                "concord serve: listening on http://{address} (database {database}); the dashboard is at /, the API described at /openapi.json; Ctrl-C stops"
            );
        },
    )?;
    eprintln!("concord serve: stopped");
    Ok(ExitCode::from(130))
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check a room's exported audit chain (`GET /rooms/ROOM/audit`): every entry follows the
    /// one before, and none was altered, removed or reordered.
    Verify {
        /// The export: one JSON entry per line.
        file: PathBuf,
        /// The head hash noted earlier (every room answer shows `audit_head`): entries removed
        /// from the end are then found too.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
        /// Print the report as JSON (schema `concord.audit-verify/1`).
        #[arg(long)]
        json: bool,
    },
}

pub fn run_audit(command: &AuditCommand) -> Result<ExitCode, BadInput> {
    let AuditCommand::Verify { file, head, json } = command;
    let text = concord_api::fs::read_text(file, "audit export")?;
    let report =
        concord_server::audit::verify_export(&file.display().to_string(), &text, head.as_deref())?;
    Ok(crate::common::print(&report, *json))
}
