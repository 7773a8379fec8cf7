//! Conversions between formats: a scenario as Genius XML files, and as scenario TOML.

use concord_io::genius::{write_genius, NamedText};

use crate::{Loaded, Result};

/// A scenario written as Genius XML files, and what they leave out.
#[derive(Debug, Clone)]
pub struct GeniusExport {
    /// A domain and one profile per party with preferences.
    pub files: Vec<NamedText>,
    /// What Genius cannot hold and was left out (red lines, framework points), one sentence
    /// each; empty when nothing was.
    pub notes: Vec<String>,
}

/// The scenario as Genius XML files: a domain and one profile per party with preferences.
/// Genius has no red lines or framework points; they are left out, and the notes say how many.
pub fn export_genius(loaded: &Loaded) -> GeniusExport {
    let scenario = &loaded.scenario;
    let mut notes = Vec::new();
    if !scenario.red_lines.is_empty() || !scenario.framework.points.is_empty() {
        notes.push(format!(
            "Genius has no red lines or framework points; {} red lines and {} points were not \
             exported",
            scenario.red_lines.len(),
            scenario.framework.points.len()
        ));
    }
    GeniusExport {
        files: write_genius(scenario),
        notes,
    }
}

/// The scenario as a scenario file's text, weights that do not sum to 1 divided by their sum
/// (with the party's reservation value) as a Genius import needs; the notes say whose. The text
/// is read back before it is returned, so it is never one that Concord refuses.
pub fn to_scenario_toml(loaded: &Loaded) -> Result<(String, Vec<String>)> {
    let file = crate::genius::scenario_file(loaded.scenario.clone(), &loaded.name, &loaded.name)?;
    Ok((file.text, file.notes))
}
