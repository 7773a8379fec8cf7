//! `concord evidence` (extract, conflicts, claims) and `concord commitments`: files and
//! options in, library calls, reports and exit codes out.
//!
//! Exit codes: `evidence extract`, `evidence conflicts` and `evidence claims` exit 0 whatever
//! they find (they are reports); `commitments` exits 1 when a trigger has no firm pledge behind
//! it, so that a script can branch on an uncovered guarantee; all exit 2 on bad input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use concord_evidence::conflicts::{analyse, ConflictConfig};
use concord_evidence::date::DateSpan;
use concord_evidence::extract::{extract, ExtractConfig, Extraction, Report, SourceMeta};
use concord_format::evidence::{
    claims_json, claims_text, commitments_json, commitments_text, conflicts_json, conflicts_text,
    extract_json, extract_text, read_aliases, review_ledger,
};
use concord_format::scenario::ReadOptions;
use concord_format::FormatError;

use crate::common::{load, print_json, BadInput};

/// Subcommands of `concord evidence`.
#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Extract candidate claims from the plain-text reports (*.txt) of a folder: speakers,
    /// actors, figures, dates, denials, relayed agencies.
    Extract(DirArgs),
    /// Align the reports' claims about the same events and list where they conflict (figures,
    /// dates, titles, counts, order of document versions), with corroboration by independent
    /// sources.
    Conflicts(DirArgs),
    /// The claims register of a scenario file (`[[claims]]`), with each claim's standing.
    Claims {
        /// The scenario file (TOML).
        file: PathBuf,
        /// The folder holding the source texts (each `[[sources]]` entry's `file`): they are
        /// compared so that copies and rewrites of one story count as one origin.
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// Print JSON (schema in docs/evidence.md).
        #[arg(long)]
        json: bool,
    },
}

/// What `extract` and `conflicts` read.
#[derive(Args)]
pub struct DirArgs {
    /// Folder of plain-text reports (every *.txt file in it).
    pub dir: PathBuf,
    /// Print JSON (schema in docs/evidence.md).
    #[arg(long)]
    pub json: bool,
    /// A TOML file of extra names: `[actors] ukraine = ["Zelensky"]`, `outlets = ["…"]`.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// A scenario whose `[[sources]]` give the reports' metadata (matched by `file`) and whose
    /// parties' names and aliases extend the alias list.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The publication date of a report, `FILE=DATE` (DATE a day, a month `2025-12` or a
    /// range); repeatable. Overrides the scenario's and the report's own date line.
    #[arg(long, value_name = "FILE=DATE")]
    pub published: Vec<String>,
    /// Do not assume that undated reports were published within a week of the dated ones
    /// (their weekdays then stay without a date range).
    #[arg(long)]
    pub no_window: bool,
    /// The most bytes of reports read from the folder, all its .txt files together: extraction
    /// takes about 5 CPU-seconds per MiB, and conflicts compare claims across every report.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_REPORT_BYTES)]
    pub max_report_bytes: u64,
}

/// The default of `--max-report-bytes`: some 250 news reports of 8 KB, analysed in about ten
/// seconds.
pub const MAX_REPORT_BYTES: u64 = 2 << 20;

/// Arguments of `concord commitments`.
#[derive(Args)]
pub struct CommitmentsArgs {
    /// The scenario file (TOML) with its `[[commitments]]`.
    pub file: PathBuf,
    /// Print JSON (schema in docs/evidence.md).
    #[arg(long)]
    pub json: bool,
}

/// Turns a format error into bad input, without repeating the file name.
fn format_error(e: FormatError) -> BadInput {
    match e {
        FormatError::Invalid(d) => BadInput(anyhow!("{}", d.to_string().trim_end())),
        other => BadInput(other.into()),
    }
}

/// Runs `concord evidence …`.
pub fn run_evidence(command: &EvidenceCommand) -> Result<ExitCode, BadInput> {
    match command {
        EvidenceCommand::Extract(args) => {
            let (texts, config, meta) = prepare(args)?;
            let e = run_extract(&texts, &meta, &config);
            if args.json {
                print_json(&extract_json(&e));
            } else {
                crate::common::emit(&extract_text(&e));
            }
            Ok(ExitCode::SUCCESS)
        }
        EvidenceCommand::Conflicts(args) => {
            let (texts, config, meta) = prepare(args)?;
            let e = run_extract(&texts, &meta, &config);
            let a = analyse(&e, &config.aliases, &ConflictConfig::default());
            if args.json {
                print_json(&conflicts_json(&e, &a));
            } else {
                crate::common::emit(&conflicts_text(&e, &a));
            }
            Ok(ExitCode::SUCCESS)
        }
        EvidenceCommand::Claims {
            file,
            sources,
            json,
        } => {
            let mut ev = read_file(file)?;
            if let Some(dir) = sources {
                let texts = crate::common::read_source_texts(file, &ev.scenario, dir)?;
                ev.join_stories(&texts);
            }
            if *json {
                print_json(&claims_json(&ev));
            } else {
                crate::common::emit(&claims_text(&ev));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs `concord commitments`.
pub fn run_commitments(args: &CommitmentsArgs) -> Result<ExitCode, BadInput> {
    let ev = read_file(&args.file)?;
    let review = review_ledger(&ev.ledger);
    if args.json {
        print_json(&commitments_json(&ev.ledger, &review));
    } else {
        crate::common::emit(&commitments_text(&ev.ledger, &review));
    }
    Ok(if review.uncovered.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_file(file: &Path) -> Result<concord_format::evidence::LoadedEvidence, BadInput> {
    Ok(crate::common::load_whole(file, &ReadOptions::default())?.evidence)
}

/// (file name, text) of each report, sorted by name.
type Texts = Vec<(String, String)>;

fn prepare(args: &DirArgs) -> Result<(Texts, ExtractConfig, Vec<SourceMeta>), BadInput> {
    let texts = read_reports(&args.dir, args.max_report_bytes)?;
    let mut config = ExtractConfig::default();
    if args.no_window {
        config.undated_window_days = None;
    }
    let mut meta: Vec<SourceMeta> = vec![SourceMeta::default(); texts.len()];
    if let Some(path) = &args.scenario {
        let loaded = load(path, &ReadOptions::default())?;
        let scenario = loaded.scenario;
        for (k, (file, _)) in texts.iter().enumerate() {
            if let Some(s) = scenario.sources.iter().find(|s| s.file == *file) {
                meta[k] = SourceMeta {
                    outlet: s.outlet.clone(),
                    published: match &s.published {
                        Some(p) => Some(DateSpan::parse(p).ok_or_else(|| {
                            BadInput(anyhow!(
                                "{}: source `{}` has published = {p:?}, which is not a date such as \"2026-01-03\" or \"03 January 2026\"",
                                path.display(),
                                s.id
                            ))
                        })?),
                        None => None,
                    },
                    language: s.language.clone(),
                    translated: s.translated,
                    agencies: s.agencies.clone(),
                };
            }
        }
        for p in &scenario.parties {
            config.aliases.add(&p.id, &p.id);
            config.aliases.add(&p.name, &p.id);
            for a in &p.aliases {
                config.aliases.add(a, &p.id);
            }
        }
    }
    if let Some(path) = &args.aliases {
        let text = crate::common::read_text(path, "alias file")?;
        let file = read_aliases(&text, &path.display().to_string()).map_err(format_error)?;
        for (name, actor) in &file.aliases {
            config.aliases.add(name, actor);
        }
        for o in &file.outlets {
            config.aliases.add_outlet(o);
        }
    }
    for spec in &args.published {
        let (name, date) = spec.split_once('=').ok_or_else(|| {
            BadInput(anyhow!(
                "--published {spec:?}: expected FILE=DATE, e.g. report.txt=2026-01-03"
            ))
        })?;
        let span = DateSpan::parse(date).ok_or_else(|| {
            BadInput(anyhow!(
                "--published {spec:?}: {date:?} is not a date (2026-01-03), a month (2025-12), a year or a range (a..b)"
            ))
        })?;
        let k = texts
            .iter()
            .position(|(f, _)| f == name || f.trim_end_matches(".txt") == name)
            .ok_or_else(|| {
                BadInput(anyhow!(
                    "--published {spec:?}: no report {name:?} in {} (reports: {})",
                    args.dir.display(),
                    texts
                        .iter()
                        .map(|(f, _)| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        meta[k].published = Some(span);
    }
    Ok((texts, config, meta))
}

fn run_extract(texts: &Texts, meta: &[SourceMeta], config: &ExtractConfig) -> Extraction {
    let reports: Vec<Report<'_>> = texts
        .iter()
        .zip(meta)
        .map(|((file, text), m)| Report {
            id: file.trim_end_matches(".txt").to_string(),
            file: file.clone(),
            text,
            meta: m.clone(),
        })
        .collect();
    extract(&reports, config)
}

/// The `.txt` reports of `dir`, sorted by name; refused when they hold more than `limit` bytes
/// together (counted before they are read, and again while reading, so a growing file or a
/// device cannot pass it).
fn read_reports(dir: &Path, limit: u64) -> Result<Texts, BadInput> {
    if !dir.is_dir() {
        return Err(BadInput(anyhow!(
            "the reports folder {} does not exist",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read folder {}", dir.display()))?
            .path();
        let is_text = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if !path.is_file() || !is_text {
            continue;
        }
        let over = |total: u64| {
            BadInput(anyhow!(
                "the reports of {} hold {total} bytes or more, over the limit of {limit}: \
                 extraction takes about 5 CPU-seconds per MiB; raise the limit with \
                 --max-report-bytes {total} (or more), or split the folder",
                dir.display()
            ))
        };
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if total.saturating_add(size) > limit {
            return Err(over(total.saturating_add(size)));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .and_then(|f| f.take(limit - total + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read {}", path.display()))?;
        total += bytes.len() as u64;
        if total > limit {
            return Err(over(total));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            BadInput(anyhow!(
                "{}: not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        out.push((name, text));
    }
    if out.is_empty() {
        return Err(BadInput(anyhow!("no .txt reports in {}", dir.display())));
    }
    out.sort();
    Ok(out)
}
