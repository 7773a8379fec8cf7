//! `sequence` (a phased plan of joint steps, or the demands that deadlock it) and `diff`
//! (versions of the framework document compared point by point, or their lineage).

use concord_io::request::RequestError;
use concord_io::sequence::{SequenceFile, FRAMEWORK_VERSION};
use concord_report::sequence::{
    diff_body_text, diff_model, drop_demands, lineage_model, lineage_model_text, sequence_model,
    sequence_model_text,
};
use concord_report::sequence_report::{SequenceModel, VersionsModel};
use concord_sequence::analysis::{SequenceAnalysis, SequenceConfig, SequenceError};
use concord_sequence::solve::{NodeProgress, SolveError, Stop};
use concord_sequence::versions::{
    diff as diff_versions, lineage, Lineage, MatchConfig, Version, VersionDiff,
};

use crate::{Control, Error, ErrorKind, Loaded, Report, Result, ScenarioInput};

/// A `sequence` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceRequest {
    /// The most minimal conflicts to list when no sequence exists (at least 1).
    pub max_conflicts: usize,
    /// The node limit of the exact search for a plan; past it the use case fails with an error
    /// of kind limit rather than guess.
    pub max_nodes: u64,
    /// The node limit of each phase of the search for the cheapest way out of a deadlock; past
    /// it the deadlock is reported without a way out, saying so.
    pub max_way_out_nodes: u64,
    /// Demands waived for this answer (what-if), by id.
    pub drop_demands: Vec<String>,
}

impl SequenceRequest {
    /// The defaults.
    pub fn new() -> Self {
        let config = SequenceConfig::default();
        SequenceRequest {
            max_conflicts: config.max_conflicts,
            max_nodes: config.node_limit,
            max_way_out_nodes: config.way_out_node_limit,
            drop_demands: Vec::new(),
        }
    }
}

impl Default for SequenceRequest {
    fn default() -> Self {
        SequenceRequest::new()
    }
}

/// The answer of [`sequence`].
#[derive(Debug, Clone)]
pub struct SequenceReport {
    /// How the input was named.
    pub name: String,
    /// The steps, demands and versions read (without the waived demands).
    pub file: SequenceFile,
    /// A plan, or the deadlock.
    pub analysis: SequenceAnalysis,
    /// The waived demands, in words.
    pub what_if: Vec<String>,
    /// Whether the search for a way out of a deadlock stopped at its node limit (the deadlock is
    /// then reported without a way out).
    pub way_out_limited: bool,
}

impl SequenceReport {
    /// Whether a plan meets every hard demand.
    pub fn has_plan(&self) -> bool {
        matches!(self.analysis, SequenceAnalysis::Plan(_))
    }

    /// The typed report (schema `concord.sequence/1`, `schemas/sequence.schema.json`).
    pub fn model(&self) -> SequenceModel {
        SequenceModel {
            what_if: self.what_if.clone(),
            ..sequence_model(&self.file, &self.name, &self.analysis)
        }
    }
}

impl Report for SequenceReport {
    /// As text, rendered from [`SequenceReport::model`] (the demands waived first).
    fn text(&self) -> String {
        sequence_model_text(&self.model())
    }

    /// As JSON ([`SequenceReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether a plan meets every hard demand.
    fn answer(&self) -> Option<bool> {
        Some(self.has_plan())
    }
}

/// The sequencing part of a scenario file; a file without steps, demands or versions still has
/// its framework as a version.
pub fn sequence_file(loaded: &Loaded) -> Result<SequenceFile> {
    let whole = loaded.whole("sequencing")?;
    whole.sequence.clone().ok_or_else(|| {
        Error::new(
            ErrorKind::Internal,
            format!(
                "{}: a scenario file read without its sequencing part",
                loaded.name
            ),
        )
    })
}

/// A phased sequence of joint steps that meets every demand, or the demands that deadlock.
pub fn sequence(
    input: &ScenarioInput,
    request: &SequenceRequest,
    control: &Control,
) -> Result<SequenceReport> {
    let loaded = crate::load(input, false)?;
    let file = sequence_file(&loaded)?;
    if file.problem.steps.is_empty() {
        return Err(Error::bad_input(format!(
            "{} has no [[steps]] to sequence (see docs/sequencing.md)",
            loaded.name
        )));
    }
    let (file, what_if) = drop_demands(&file, &request.drop_demands)?;
    let config = SequenceConfig {
        max_conflicts: request.max_conflicts.max(1),
        node_limit: request.max_nodes.max(1),
        way_out_node_limit: request.max_way_out_nodes.max(1),
        stop: Stop::new(control.cancel.shared()),
        progress: match &control.progress {
            Some(p) => {
                let p = std::sync::Arc::clone(p);
                NodeProgress::new(move |task, done, limit| {
                    p(crate::Progress {
                        task,
                        done: usize::try_from(done).unwrap_or(usize::MAX),
                        total: usize::try_from(limit).unwrap_or(usize::MAX),
                    });
                })
            }
            None => NodeProgress::default(),
        },
    };
    let analysis = concord_sequence::analysis::analyze(&file.problem, &config).map_err(|e| {
        let kind = match &e {
            SequenceError::Model(_) => ErrorKind::BadInput,
            SequenceError::Solve(SolveError::TooLarge(_)) => ErrorKind::Limit,
            SequenceError::Solve(SolveError::Stopped) => ErrorKind::Cancelled,
            SequenceError::Solve(SolveError::Solver(_)) => ErrorKind::Internal,
            _ => ErrorKind::Internal,
        };
        let hint = match kind {
            ErrorKind::Limit => format!(" (the limit is {})", config.node_limit),
            _ => String::new(),
        };
        let error = Error::new(kind, format!("cannot sequence {}: {e}{hint}", loaded.name));
        match kind {
            ErrorKind::Limit => error.with_remedy("max_nodes"),
            _ => error,
        }
    })?;
    control.check()?;
    let way_out_limited = matches!(
        &analysis,
        SequenceAnalysis::Deadlock(d)
            if d.way_out.is_none() && matches!(d.way_out_failure, Some(SolveError::TooLarge(_)))
    );
    Ok(SequenceReport {
        name: loaded.name,
        file,
        analysis,
        what_if,
        way_out_limited,
    })
}

/// Which versions to compare. With one input: both `from` and `to`, or neither for the lineage
/// of all its versions. With two: `from` in the first, `to` in the second, each defaulting to
/// its file's framework, else its last version.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRequest {
    /// The older version: an id of `[[versions]]`, or `framework`.
    pub from: Option<String>,
    /// The newer version.
    pub to: Option<String>,
    /// The least similarity, from 0 to 1, for two points to count as the same point.
    pub threshold: f64,
}

impl Default for DiffRequest {
    fn default() -> Self {
        DiffRequest {
            from: None,
            to: None,
            threshold: MatchConfig::default().threshold,
        }
    }
}

/// Two versions compared.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The older version.
    pub old: Version,
    /// The newer version.
    pub new: Version,
    /// Points added, removed, changed, renumbered.
    pub diff: VersionDiff,
}

/// The answer of [`diff`]: two versions compared, or the lineage of all of one file's.
#[derive(Debug, Clone)]
pub enum DiffReport {
    /// Two versions compared.
    Diff(Box<Compared>),
    /// The lineage of points across a file's versions.
    Lineage {
        /// The file.
        file: Box<SequenceFile>,
        /// Its lineage.
        lineage: Lineage,
    },
}

impl DiffReport {
    /// The typed report (schema `concord.diff/1`, `schemas/diff.schema.json`, or
    /// `concord.lineage/1`, `schemas/lineage.schema.json`, for a lineage).
    pub fn model(&self) -> VersionsModel {
        match self {
            DiffReport::Diff(c) => {
                VersionsModel::Diff(Box::new(diff_model(&c.old, &c.new, &c.diff)))
            }
            DiffReport::Lineage { file, lineage } => {
                VersionsModel::Lineage(lineage_model(file, &file.versions, lineage))
            }
        }
    }
}

impl Report for DiffReport {
    /// As text, rendered from [`DiffReport::model`].
    fn text(&self) -> String {
        match self.model() {
            VersionsModel::Diff(m) => diff_body_text(&m.body),
            VersionsModel::Lineage(m) => lineage_model_text(&m),
        }
    }

    /// As JSON ([`DiffReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }
}

/// The version `id` of a file, or a message listing the ids it has.
fn pick(file: &SequenceFile, name: &str, id: &str) -> Result<Version> {
    file.version(id).cloned().ok_or_else(|| {
        let ids = file.version_ids();
        Error::bad_input(format!(
            "{name} has no version `{id}`; its versions are: {}",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ))
    })
}

/// A file's default version: its framework, else its last `[[versions]]` entry.
fn default_version(file: &SequenceFile, name: &str) -> Result<Version> {
    file.framework
        .as_ref()
        .or(file.versions.last())
        .cloned()
        .ok_or_else(|| {
            Error::bad_input(format!(
                "{name} has neither a [framework] with points nor [[versions]] to compare"
            ))
        })
}

/// Compares versions of the framework document: of one input, or a version of `old` with one
/// of `new`.
pub fn diff(
    old: &ScenarioInput,
    new: Option<&ScenarioInput>,
    request: &DiffRequest,
) -> Result<DiffReport> {
    if !(0.0..=1.0).contains(&request.threshold) {
        return Err(RequestError {
            field: "threshold".to_string(),
            value: request.threshold.to_string(),
            problem: "is out of range".to_string(),
            expected: "a similarity from 0 to 1".to_string(),
        }
        .into());
    }
    let config = MatchConfig {
        threshold: request.threshold,
        ..MatchConfig::default()
    };
    let old_loaded = crate::load(old, false)?;
    let old_file = sequence_file(&old_loaded)?;
    let old_name = &old_loaded.name;
    let (old_version, new_file, new_name) = match new {
        Some(new) => {
            let new_loaded = crate::load(new, false)?;
            let version = match &request.from {
                Some(id) => pick(&old_file, old_name, id)?,
                None => default_version(&old_file, old_name)?,
            };
            (version, sequence_file(&new_loaded)?, new_loaded.name)
        }
        None => match (&request.from, &request.to) {
            (None, None) => {
                if old_file.versions.is_empty() {
                    return Err(Error::bad_input(format!(
                        "{old_name} has no [[versions]]; to compare two versions, give both the older and the newer version (`{FRAMEWORK_VERSION}` names the [framework]) or a second file"
                    ))
                    .with_remedy("versions"));
                }
                let lineage = lineage(&old_file.versions, &config);
                return Ok(DiffReport::Lineage {
                    file: Box::new(old_file),
                    lineage,
                });
            }
            (Some(from), Some(_)) => (
                pick(&old_file, old_name, from)?,
                old_file.clone(),
                old_name.clone(),
            ),
            _ => {
                return Err(Error::bad_input(
                    "with one file, give both the older and the newer version, or neither for the lineage of all its versions",
                )
                .with_remedy("versions"))
            }
        },
    };
    let new_version = match &request.to {
        Some(id) => pick(&new_file, &new_name, id)?,
        None => default_version(&new_file, &new_name)?,
    };
    let diff = diff_versions(&old_version, &new_version, &config);
    Ok(DiffReport::Diff(Box::new(Compared {
        old: old_version,
        new: new_version,
        diff,
    })))
}
