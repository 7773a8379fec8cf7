//! `import_genius`: a Genius (XML) or GeniusWeb (JSON) domain to a scenario file's text;
//! contents in, contents out, the caller reads the folder and writes the file. (The way back is
//! [`export_genius`](crate::export_genius).)

use concord_io::genius::{normalise_for_scenario_file, read_genius, NamedText};
use concord_io::load::read_scenario_file;
use concord_io::scenario::ReadOptions;
use concord_io::write::scenario_to_toml;

use crate::{Error, Normalization, Result};

/// The answer of [`import_genius`]: the scenario file to write, and what was changed on the
/// way.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The scenario file's text (TOML), one that Concord reads back without a problem.
    pub text: String,
    /// One line per party whose weights did not sum to 1 and were rescaled.
    pub notes: Vec<String>,
    /// Parties in the scenario.
    pub parties: usize,
    /// Issues in the scenario.
    pub issues: usize,
}

/// Imports the files of a Genius or GeniusWeb domain (`name` names the folder in messages;
/// evaluations normalised as Genius does) as a scenario file's text, which messages call
/// `written_as`. Weights that do not sum to 1 are rescaled, with a note; a scenario Concord
/// would refuse to read back is an error, so that nothing is written.
pub fn import_genius(name: &str, files: &[NamedText], written_as: &str) -> Result<ImportReport> {
    let scenario = read_genius(files, Normalization::Genius)
        .map_err(|e| Error::bad_input(format!("cannot import {name}: {e}")))?;
    scenario_file(scenario, name, written_as)
}

/// A scenario as a scenario file's text, weights that do not sum to 1 rescaled with a note, and
/// read back so that the text is never one Concord refuses (`name` names the scenario's origin,
/// `written_as` the file in messages).
pub(crate) fn scenario_file(
    mut scenario: concord_core::model::Scenario,
    name: &str,
    written_as: &str,
) -> Result<ImportReport> {
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
    // Import never writes what Concord refuses: the range checks of the Genius reader catch what
    // they can with a location in the folder; this read-back catches anything else.
    if let Err(e) = read_scenario_file(&text, written_as, &ReadOptions::default()) {
        return Err(Error::bad_input(format!(
            "cannot import {name}: the scenario file it would write is one Concord refuses, so nothing was written:\n{}",
            e.to_string().trim_end()
        )));
    }
    Ok(ImportReport {
        text,
        notes,
        parties: scenario.parties.len(),
        issues: scenario.issues.len(),
    })
}
