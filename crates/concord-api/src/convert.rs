//! Conversions between formats: a scenario as Genius XML files, and as scenario TOML.

use concord_io::genius::{write_genius, NamedText};

use crate::{Loaded, Result};

/// The scenario as Genius XML files: a domain and one profile per party with preferences.
/// Genius has no red lines or framework points; they are left out (the caller may say so).
pub fn export_genius(loaded: &Loaded) -> Vec<NamedText> {
    write_genius(&loaded.scenario)
}

/// The scenario as a scenario file's text, weights that do not sum to 1 divided by their sum
/// (with the party's reservation value) as a Genius import needs; the notes say whose. The text
/// is read back before it is returned, so it is never one that Concord refuses.
pub fn to_scenario_toml(loaded: &Loaded) -> Result<(String, Vec<String>)> {
    let file = crate::genius::scenario_file(loaded.scenario.clone(), &loaded.name, &loaded.name)?;
    Ok((file.text, file.notes))
}
