//! Inputs in memory: a scenario file's text, a Genius folder's files, or a model built in code.

use std::path::Path;

use concord_core::model::Scenario;
use concord_io::fs::FsError;
use concord_io::genius::{read_genius, NamedText, Normalization};
use concord_io::load::{read_scenario_file, FileTables};
use concord_io::scenario::ReadOptions;

use crate::{Error, Result};

/// A scenario as a caller has it. `name` names it in every message (a path, an upload's name,
/// a request field).
#[derive(Debug, Clone)]
pub enum ScenarioInput {
    /// The text of a scenario file (TOML, docs/scenario-format.md).
    Toml {
        /// How messages name it.
        name: String,
        /// Its text.
        text: String,
    },
    /// The files of a Genius (XML) or GeniusWeb (JSON) domain: a domain and one profile per
    /// party.
    Genius {
        /// How messages name the folder.
        name: String,
        /// Its `.xml` and `.json` files.
        files: Vec<NamedText>,
        /// How evaluations are scaled.
        normalization: Normalization,
    },
    /// A model built in code; it is checked ([`Scenario::validate`]) before any analysis.
    Model {
        /// How messages name it.
        name: String,
        /// The model.
        scenario: Box<Scenario>,
    },
}

impl ScenarioInput {
    /// A scenario file's text.
    pub fn toml(name: impl Into<String>, text: impl Into<String>) -> Self {
        ScenarioInput::Toml {
            name: name.into(),
            text: text.into(),
        }
    }

    /// A scenario file, or a Genius or GeniusWeb folder, read into memory with
    /// [`crate::fs`]'s checks and named by its path in every message; `normalization` scales a
    /// folder's evaluations. For the front ends that take paths (the command line, Python).
    pub fn read(path: &Path, normalization: Normalization) -> Result<Self, FsError> {
        if !path.is_dir() {
            return Self::read_toml(path);
        }
        Ok(ScenarioInput::Genius {
            name: path.display().to_string(),
            files: crate::fs::read_genius_folder(path)?,
            normalization,
        })
    }

    /// A scenario file (TOML only) read into memory, named by its path: a folder is refused as
    /// not a regular file.
    pub fn read_toml(path: &Path) -> Result<Self, FsError> {
        Ok(ScenarioInput::toml(
            path.display().to_string(),
            crate::fs::read_text(path, "scenario file")?,
        ))
    }

    /// How messages name it.
    pub fn name(&self) -> &str {
        match self {
            ScenarioInput::Toml { name, .. }
            | ScenarioInput::Genius { name, .. }
            | ScenarioInput::Model { name, .. } => name,
        }
    }
}

/// A scenario read and checked: every table of a scenario file (parties, issues, preferences,
/// red lines, framework, claims, commitments, steps, demands, versions), so that every use case
/// accepts or refuses the same input the same way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// How messages name it.
    pub name: String,
    /// The scenario (held once: `file` holds the file's other tables).
    pub scenario: Scenario,
    /// The file's tables beside the scenario (claims register, ledger, citation sites,
    /// sequencing), for a scenario file.
    pub file: Option<FileTables>,
    /// The file's text, for a scenario file.
    pub text: Option<String>,
}

/// Reads and checks a scenario. `normalize_weights` divides each party's weights by their sum
/// instead of refusing weights that do not sum to 1 (scenario files only; Genius imports are
/// scaled by their `normalization`).
pub fn load(input: &ScenarioInput, normalize_weights: bool) -> Result<Loaded> {
    let options = ReadOptions { normalize_weights };
    match input {
        ScenarioInput::Toml { name, text } => {
            let (scenario, file) = read_scenario_file(text, name, &options)?.into_parts();
            Ok(Loaded {
                name: name.clone(),
                scenario,
                file: Some(file),
                text: Some(text.clone()),
            })
        }
        ScenarioInput::Genius {
            name,
            files,
            normalization,
        } => {
            if files.is_empty() {
                return Err(Error::bad_input(format!(
                    "{name} holds no .xml or .json files: a Genius domain is a domain .xml file and one profile .xml file per party, a GeniusWeb domain .json files"
                )));
            }
            let scenario = read_genius(files, *normalization).map_err(|e| match e {
                concord_io::FormatError::Invalid(_) => Error::from(e),
                other => Error::from(other).context(format!("cannot import {name}")),
            })?;
            Ok(Loaded {
                name: name.clone(),
                scenario,
                file: None,
                text: None,
            })
        }
        ScenarioInput::Model { name, scenario } => {
            scenario
                .validate()
                .map_err(|problems| Error::bad_input(format!("{name}: {problems}")))?;
            Ok(Loaded {
                name: name.clone(),
                scenario: (**scenario).clone(),
                file: None,
                text: None,
            })
        }
    }
}

impl Loaded {
    /// Refuses a scenario with nothing to analyse: a sequence file has parties and steps but no
    /// issues or preferences.
    pub fn require_issues(&self) -> Result<()> {
        if self.scenario.issues.is_empty() {
            return Err(Error::bad_input(format!(
                "{} has no [[issues]] or [preferences] to analyse: it is a sequence file (see docs/sequencing.md); `concord sequence` and `concord diff` read it",
                self.name
            )));
        }
        Ok(())
    }

    /// The file's tables, or an error saying the use case needs a scenario file.
    pub(crate) fn whole(&self, what: &str) -> Result<&FileTables> {
        self.file.as_ref().ok_or_else(|| {
            Error::bad_input(format!(
                "{}: {what} needs a scenario file (TOML), not a Genius domain or a model",
                self.name
            ))
        })
    }
}
