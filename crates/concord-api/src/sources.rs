//! `sources check`: every citation's quote against its source text.

use concord_core::citations::{check_sources, SourcesCheck};
use concord_report::json::sources_model;
use concord_report::sources_report::SourcesCheckModel;

use crate::{Loaded, Report, Result, ScenarioInput};

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

    /// The typed report (schema `concord.sources-check/1`, `schemas/sources-check.schema.json`).
    pub fn model(&self) -> SourcesCheckModel {
        sources_model(
            &self.loaded.name,
            &self.loaded.scenario,
            &self.check(),
            &self.sites(),
        )
    }
}

impl Report for SourcesReport {
    /// As text, rendered from [`SourcesReport::model`].
    fn text(&self) -> String {
        self.model().text()
    }

    /// As JSON ([`SourcesReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether every quote was found and attributed as the file says.
    fn answer(&self) -> Option<bool> {
        Some(self.passed())
    }
}

/// Checks the quotes of a scenario file against the texts of its sources, given in the order of
/// its `[[sources]]` (`None` for a text that could not be had).
pub fn check(input: &ScenarioInput, texts: Vec<Option<String>>) -> Result<SourcesReport> {
    let loaded = crate::load(input, false)?;
    loaded.whole("checking sources")?;
    require_some_texts(&loaded, &texts)?;
    Ok(SourcesReport { loaded, texts })
}

/// Refuses source texts of which none could be had: one mistake (the wrong folder, the wrong
/// upload) is one error, not one "missing" finding per quote.
pub(crate) fn require_some_texts(loaded: &Loaded, texts: &[Option<String>]) -> Result<()> {
    let sources = &loaded.scenario.sources;
    if sources.is_empty() || texts.iter().any(Option::is_some) {
        return Ok(());
    }
    let mut names: Vec<&str> = sources.iter().map(|s| s.file.as_str()).collect();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    Err(crate::Error::bad_input(format!(
        "none of the {} source files {} names was given ({}{})",
        sources.len(),
        loaded.name,
        names.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )))
}
