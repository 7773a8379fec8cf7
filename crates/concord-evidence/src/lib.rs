//! Concord's evidence: candidate claims extracted from plain-text reports, the conflicts and
//! corroboration between reports, the analyst's claims register and the commitments ledger.
//!
//! Model and algorithms only: texts come in as `&str`, results go out as plain types; reading
//! files and rendering reports is the format crate's job. Extraction is rule-based (no model):
//! see docs/evidence.md for the rules and their measured precision and recall.
//!
//! ```
//! use concord_evidence::conflicts::{analyse, ConflictConfig};
//! use concord_evidence::extract::{extract, ExtractConfig, Report, SourceMeta};
//!
//! let a = "Moscow said Ukrainian drones hit a hotel and cafe in Kherson on Thursday, killing 28 people.";
//! let b = "Russia said a Ukrainian drone strike on a hotel and cafe in Kherson on Thursday killed 27 people.";
//! let reports = [("a", a), ("b", b)].map(|(id, text)| Report {
//!     id: id.into(),
//!     file: format!("{id}.txt"),
//!     text,
//!     meta: SourceMeta::default(),
//! });
//! let config = ExtractConfig::default();
//! let extraction = extract(&reports, &config);
//! assert_eq!(extraction.claims[0].speakers[0].actor.as_deref(), Some("russia"));
//! let analysis = analyse(&extraction, &config.aliases, &ConflictConfig::default());
//! assert_eq!(analysis.conflicts[0].sides[0].value, "28 person killed");
//! assert_eq!(analysis.conflicts[0].sides[1].value, "27 person killed");
//! ```

pub mod actors;
pub mod alias_index;
pub mod attribution;
pub mod clean;
pub mod commitments;
pub mod conflicts;
pub mod date;
pub mod duplicates;
pub(crate) mod events;
pub mod extract;
pub mod mentions;
pub mod quantity;
pub mod register;
pub mod sentences;
pub mod status;
pub mod text;
pub mod when;

/// The caller's hooks on the long phases (extraction, the search for copies and rewrites, the
/// alignment of claims): a stop flag they poll, returning early with a partial answer the
/// caller discards, and a progress callback `(task, done, total)`.
#[derive(Clone, Copy, Default)]
pub struct Watch<'a> {
    /// Polled at every sentence, report or clause.
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
    /// Called as work advances.
    pub progress: Option<Progress<'a>>,
}

/// A progress callback: `(task, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

impl Watch<'_> {
    /// Whether the stop flag is set.
    pub fn stopped(&self) -> bool {
        self.stop
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Reports `done` of `total` units of `task`.
    pub fn progress(&self, task: &str, done: usize, total: usize) {
        if let Some(p) = self.progress {
            p(task, done, total);
        }
    }
}
