//! Conversions between formats: a scenario as Genius XML files, and as scenario TOML.

use concord_format::genius::{normalise_for_scenario_file, write_genius, NamedText};
use concord_format::write::scenario_to_toml;

use crate::{Error, Loaded};

/// The scenario as Genius XML files: a domain and one profile per party with preferences.
/// Genius has no red lines or framework points; they are left out (the caller may say so).
pub fn export_genius(loaded: &Loaded) -> Vec<NamedText> {
    write_genius(&loaded.scenario)
}

/// The scenario as a scenario file's text, weights that do not sum to 1 divided by their sum
/// (with the party's reservation value) as a Genius import needs; the notes say whose. The text
/// is read back before it is returned, so it is never one that Concord refuses.
pub fn to_scenario_toml(loaded: &Loaded) -> crate::Result<(String, Vec<String>)> {
    let mut scenario = loaded.scenario.clone();
    let notes = normalise_for_scenario_file(&mut scenario)
        .into_iter()
        .map(|(p, total)| {
            format!(
                "the weights of {} summed to {total}; they and its reservation value were divided by their sum",
                scenario.parties[p].id
            )
        })
        .collect();
    let text = scenario_to_toml(&scenario);
    crate::load(
        &crate::ScenarioInput::toml(loaded.name.clone(), text.clone()),
        false,
    )
    .map_err(|e| {
        Error::new(
            crate::ErrorKind::Internal,
            format!(
                "the scenario file written for {} is one Concord refuses: {}",
                loaded.name,
                e.message()
            ),
        )
    })?;
    Ok((text, notes))
}
