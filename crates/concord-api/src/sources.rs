//! `sources check`: every citation's quote against its source text.

use concord_core::citations::{check_sources, SourcesCheck};
use concord_format::json::sources_model;
use concord_format::sources_report::SourcesCheckModel;
use concord_format::text::sources_text;

use crate::{Loaded, Result, ScenarioInput};

/// The answer of [`check`]: the file and the source texts; the check itself borrows them
/// ([`SourcesReport::check`]).
#[derive(Debug, Clone)]
pub struct SourcesReport {
    /// The scenario file, read.
    pub loaded: Loaded,
    /// The source texts, in the order of `[[sources]]`.
    pub texts: Vec<Option<String>>,
}

impl SourcesReport {
    /// Every citation checked (a string search per quote, cheap to repeat).
    pub fn check(&self) -> SourcesCheck<'_> {
        let others = self
            .loaded
            .file
            .as_ref()
            .map(|f| f.other_citations())
            .unwrap_or_default();
        check_sources(&self.loaded.scenario, others, &self.texts)
    }

    /// Whether every quote was found and attributed as the file says.
    pub fn passed(&self) -> bool {
        !self.check().failed()
    }

    fn sites(&self) -> std::collections::HashMap<String, (usize, usize)> {
        self.loaded
            .file
            .as_ref()
            .map(|f| f.citation_sites())
            .unwrap_or_default()
    }

    /// As text.
    pub fn text(&self) -> String {
        sources_text(
            &self.loaded.scenario,
            &self.loaded.name,
            &self.check(),
            &self.sites(),
        )
    }

    /// The typed report (schema `concord.sources-check/1`, `schemas/sources-check.schema.json`).
    pub fn model(&self) -> SourcesCheckModel {
        sources_model(&self.loaded.scenario, &self.check(), &self.sites())
    }

    /// As JSON ([`SourcesReport::model`] serialised).
    pub fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }
}

/// Checks the quotes of a scenario file against the texts of its sources, given in the order of
/// its `[[sources]]` (`None` for a text that could not be had).
pub fn check(input: &ScenarioInput, texts: Vec<Option<String>>) -> Result<SourcesReport> {
    let loaded = crate::load(input, false)?;
    loaded.whole("checking sources")?;
    Ok(SourcesReport { loaded, texts })
}
