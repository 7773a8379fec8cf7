//! `concord serve` (the mediation server) and `concord audit verify` (a room's exported audit
//! chain, checked offline).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::common::{emit, BadInput};
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
    },
}

pub fn run_audit(command: &AuditCommand) -> Result<ExitCode, BadInput> {
    let AuditCommand::Verify { file, head } = command;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let v = concord_server::audit::verify(&text, head.as_deref());
    if v.entries == 0 {
        let why = v
            .findings
            .first()
            .map(|f| format!(": {f}"))
            .unwrap_or_default();
        return Err(BadInput(anyhow::anyhow!(
            "{}: not an audit export (GET /rooms/ROOM/audit writes one JSON entry per line){why}",
            file.display()
        )));
    }
    if v.findings.is_empty() {
        emit(&format!(
            "{}: the audit chain is intact: {} {}, head {}{}\n",
            file.display(),
            v.entries,
            if v.entries == 1 { "entry" } else { "entries" },
            v.head,
            if head.is_some() {
                " (the head noted)"
            } else {
                " (give --head to check that no entry was removed from the end)"
            }
        ));
        Ok(ExitCode::SUCCESS)
    } else {
        let mut out = format!(
            "{}: the audit chain is broken ({} entries read):\n",
            file.display(),
            v.entries
        );
        for f in &v.findings {
            out.push_str(&format!("  {f}\n"));
        }
        emit(&out);
        Ok(ExitCode::from(1))
    }
}
