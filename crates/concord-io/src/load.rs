//! A scenario file read with every reader, the way every command reads one: the scenario
//! tables ([`crate::scenario`]), the claims register and commitments ledger
//! ([`crate::evidence`]) and, when present, the sequencing tables and versions
//! ([`crate::sequence`]).

use std::collections::HashMap;

use concord_core::model::Scenario;

use crate::located::Diagnostics;
use crate::scenario::ReadOptions;
use crate::FormatError;

/// A scenario file read whole: the scenario with its claims register and commitments ledger,
/// and its sequencing tables and versions when it has any.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The scenario, claims register and ledger.
    pub evidence: crate::evidence::LoadedEvidence,
    /// `[[steps]]`, `[[demands]]` and `[[versions]]`, and the framework as a version (`None`
    /// only while the file has problems).
    pub sequence: Option<crate::sequence::SequenceFile>,
}

impl ScenarioFile {
    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.evidence.scenario
    }

    /// The citations of the tables other readers own (steps, demands, versions, commitments),
    /// with their field paths. They support no party directly: a step or a pledge is not a
    /// position.
    pub fn other_citations(&self) -> Vec<concord_core::citations::CitedAt<'_>> {
        other_citations(&self.evidence.commitment_citations, self.sequence.as_ref())
    }

    /// Line and column of every citation and claim reference of the file, by field path.
    pub fn citation_sites(&self) -> HashMap<String, (usize, usize)> {
        citation_sites(&self.evidence.citation_sites, self.sequence.as_ref())
    }

    /// The scenario and the file's other tables, apart, so that a caller holds the scenario
    /// once.
    pub fn into_parts(self) -> (Scenario, FileTables) {
        let (scenario, evidence) = self.evidence.into_parts();
        (
            scenario,
            FileTables {
                evidence,
                sequence: self.sequence,
            },
        )
    }
}

/// The tables of a scenario file beside its scenario ([`ScenarioFile::into_parts`]).
#[derive(Debug, Clone)]
pub struct FileTables {
    /// The claims register and the ledger.
    pub evidence: crate::evidence::EvidenceTables,
    /// `[[steps]]`, `[[demands]]` and `[[versions]]`, and the framework as a version.
    pub sequence: Option<crate::sequence::SequenceFile>,
}

impl FileTables {
    /// As [`ScenarioFile::other_citations`].
    pub fn other_citations(&self) -> Vec<concord_core::citations::CitedAt<'_>> {
        other_citations(&self.evidence.commitment_citations, self.sequence.as_ref())
    }

    /// As [`ScenarioFile::citation_sites`].
    pub fn citation_sites(&self) -> HashMap<String, (usize, usize)> {
        citation_sites(&self.evidence.citation_sites, self.sequence.as_ref())
    }
}

fn other_citations<'a>(
    commitments: &'a [(String, concord_core::model::Citation)],
    sequence: Option<&'a crate::sequence::SequenceFile>,
) -> Vec<concord_core::citations::CitedAt<'a>> {
    let sequence = sequence.into_iter().flat_map(|s| s.citations());
    let commitments = commitments.iter().map(|(path, c)| (path.clone(), c));
    sequence
        .chain(commitments)
        .map(|(path, citation)| concord_core::citations::CitedAt {
            path,
            party: None,
            citation,
        })
        .collect()
}

fn citation_sites(
    evidence: &HashMap<String, (usize, usize)>,
    sequence: Option<&crate::sequence::SequenceFile>,
) -> HashMap<String, (usize, usize)> {
    let mut sites = evidence.clone();
    if let Some(s) = sequence {
        sites.extend(s.citation_sites.iter().map(|(k, v)| (k.clone(), *v)));
    }
    sites
}

/// Reads a scenario file with every reader: the scenario tables, the claims register, the
/// commitments ledger and, when present, the sequencing tables and versions. Every located
/// problem of the file is reported at once, whichever reader found it (when the scenario part
/// has problems, the other tables are checked against the ids the file declares).
pub fn read_scenario_file(
    text: &str,
    file: &str,
    options: &ReadOptions,
) -> Result<ScenarioFile, FormatError> {
    // Parsed once, the scenario read once; the evidence and sequencing readers take both, and
    // each problem of the scenario part is reported once.
    let doc = crate::located::parse_document(text, file)?;
    let root = doc.as_table();
    let (loaded, mut items) = match crate::scenario::read_scenario_doc(text, root, file, options) {
        Ok(loaded) => (Some(loaded), Vec::new()),
        Err(FormatError::Invalid(d)) => (None, d.items),
        Err(other) => return Err(other),
    };
    // The scenario reader has read the tables both share (parties, sources, the header): the
    // sequencing reader takes them from it, or the ids they declare when it failed. A file
    // without steps, demands or versions still has its framework as a version.
    let part = Some(loaded.as_ref().ok_or_else(Vec::new));
    let sequence = match crate::sequence::read_sequence_doc(text, root, file, part) {
        Ok(s) => Some(s),
        Err(FormatError::Invalid(d)) => {
            items.extend(d.items);
            None
        }
        Err(other) => return Err(other),
    };
    let evidence = match crate::evidence::read_evidence_doc(text, root, file, loaded, Vec::new()) {
        Ok(e) => Some(e),
        Err(FormatError::Invalid(d)) => {
            items.extend(d.items);
            None
        }
        Err(other) => return Err(other),
    };
    match evidence {
        Some(evidence) if items.is_empty() => Ok(ScenarioFile { evidence, sequence }),
        _ => {
            items.sort_by_key(|d| (d.line, d.column));
            Err(FormatError::Invalid(Diagnostics {
                file: file.to_string(),
                items,
            }))
        }
    }
}
