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
    let workspace = workspace(args)?;
    // Ctrl-C lets requests under way finish, then ends the server.
    interactive::stops_itself();
    let stop = interactive::stop_handle();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let listen = args.listen;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let database = config.database.clone();
        let state = concord_server::open(config).await?;
        eprintln!(
            "concord serve: listening on http://{} (database {}); the dashboard is at /, the API described at /openapi.json; Ctrl-C stops",
            listener.local_addr().unwrap_or(listen),
            database
        );
        let shutdown = async move {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        concord_server::serve_with(state, workspace, listener, shutdown).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    eprintln!("concord serve: stopped");
    Ok(ExitCode::from(130))
}

/// The analyst's workspace: every file of `--open` read and checked before the server starts
/// (a bad file stops it with the file's located problems), and the reports of `--sources`.
fn workspace(args: &ServeArgs) -> Result<concord_server::Workspace, BadInput> {
    if args.open.is_empty() && !args.analyst {
        if args.sources.is_some() {
            return Err(BadInput(anyhow::anyhow!(
                "--sources is for the analyst views: give --open FILE or --analyst with it"
            )));
        }
        return Ok(concord_server::Workspace::disabled());
    }
    let reports = match &args.sources {
        Some(dir) => crate::evidence_cmd::read_reports(dir, crate::evidence_cmd::MAX_REPORT_BYTES)?,
        None => Vec::new(),
    };
    let workspace = concord_server::Workspace::new(reports);
    for path in &args.open {
        let text = concord_api::fs::read_text(path, "scenario")?;
        workspace.open(&path.display().to_string(), &text)?;
    }
    Ok(workspace)
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
