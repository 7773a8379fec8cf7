//! The audit chain: every action in a room, appended as an entry that commits to the one before.
//!
//! An entry's hash is SHA-256 of the previous entry's hash and the entry's own fields
//! (`seq`, `at`, `actor`, `action`, `detail`, `commitment`) as one JSON array. Changing,
//! removing or reordering any entry breaks every hash after it; removing entries from the end is
//! found by comparing the last hash with the head a member noted (every room answer shows it).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of a room's audit chain, as exported (one JSON object per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The room.
    pub room: String,
    /// 1, 2, 3, … in the order of the actions.
    pub seq: i64,
    /// When, in milliseconds since 1970-01-01 UTC.
    pub at: i64,
    /// Who: `mediator`, `delegation:PARTY`, `observer:ID`, or `server`.
    pub actor: String,
    /// What, as a short verb (`room.create`, `preferences.submit`, `proposal.respond`, …).
    pub action: String,
    /// Public detail (ids, never private numbers or responses).
    pub detail: String,
    /// SHA-256 of a random salt and the private input, when the action had one (the delegation
    /// keeps the salt and can open the commitment); empty otherwise.
    pub commitment: String,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev: String,
    /// This entry's hash.
    pub hash: String,
}

/// The hash of an entry's fields after `prev`.
pub fn entry_hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    detail: &str,
    commitment: &str,
) -> String {
    let fields = serde_json::json!([seq, at, actor, action, detail, commitment]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// A commitment to private bytes: SHA-256 of the salt and the bytes.
pub fn commit(salt: &[u8], private: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(private);
    hex::encode(h.finalize())
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Line `line` (1-based) is not an entry.
    Unreadable {
        /// The line.
        line: usize,
        /// Why.
        why: String,
    },
    /// An entry of another room in the export.
    OtherRoom {
        /// The line.
        line: usize,
    },
    /// The entry's sequence number is not the next one: an entry was removed or reordered.
    Sequence {
        /// The line.
        line: usize,
        /// The number expected.
        expected: i64,
        /// The number found.
        found: i64,
    },
    /// The entry does not follow the one before: an entry before it was altered, removed or
    /// reordered.
    Link {
        /// The line.
        line: usize,
    },
    /// The entry's fields do not give its hash: it was altered.
    Hash {
        /// The line.
        line: usize,
    },
    /// The last hash is not the head the caller noted: entries were removed from the end (or
    /// the export is of another state of the room).
    Head {
        /// The last hash found.
        found: String,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Unreadable { line, why } => write!(f, "line {line}: not an audit entry: {why}"),
            Finding::OtherRoom { line } => write!(f, "line {line}: an entry of another room"),
            Finding::Sequence {
                line,
                expected,
                found,
            } => write!(
                f,
                "line {line}: entry {found} where entry {expected} was expected: an entry was removed or reordered"
            ),
            Finding::Link { line } => write!(
                f,
                "line {line}: does not follow the entry before it: that entry was altered, removed or reordered"
            ),
            Finding::Hash { line } => {
                write!(f, "line {line}: its fields do not give its hash: it was altered")
            }
            Finding::Head { found } => write!(
                f,
                "the last hash is {found}, not the head noted: entries were removed from the end"
            ),
        }
    }
}

/// The result of verifying an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// How many entries were read.
    pub entries: usize,
    /// The last entry's hash.
    pub head: String,
    /// What is wrong (empty: the chain is intact).
    pub findings: Vec<Finding>,
}

/// Verifies an exported chain (JSON lines), and its head against `expected_head` when given.
pub fn verify(export: &str, expected_head: Option<&str>) -> Verification {
    let mut findings = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut room: Option<String> = None;
    let mut entries = 0;
    let mut expected_seq = 1;
    for (n, line) in export.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = match serde_json::from_str(line) {
            Ok(e) => e,
            Err(e) => {
                findings.push(Finding::Unreadable {
                    line: line_no,
                    why: e.to_string(),
                });
                continue;
            }
        };
        entries += 1;
        match &room {
            None => room = Some(entry.room.clone()),
            Some(r) if *r != entry.room => findings.push(Finding::OtherRoom { line: line_no }),
            Some(_) => {}
        }
        if entry.seq != expected_seq {
            findings.push(Finding::Sequence {
                line: line_no,
                expected: expected_seq,
                found: entry.seq,
            });
        }
        if entry.prev != prev {
            findings.push(Finding::Link { line: line_no });
        }
        let h = entry_hash(
            &entry.prev,
            entry.seq,
            entry.at,
            &entry.actor,
            &entry.action,
            &entry.detail,
            &entry.commitment,
        );
        if h != entry.hash {
            findings.push(Finding::Hash { line: line_no });
        }
        expected_seq = entry.seq + 1;
        prev = entry.hash;
    }
    if let Some(head) = expected_head {
        if head != prev {
            findings.push(Finding::Head {
                found: prev.clone(),
            });
        }
    }
    Verification {
        entries,
        head: prev,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let (actor, action, detail) = ("mediator", "proposal.table", format!("p{seq}"));
                let hash = entry_hash(&prev, seq, 1000 + seq, actor, action, &detail, "");
                let e = Entry {
                    room: "r".into(),
                    seq,
                    at: 1000 + seq,
                    actor: actor.into(),
                    action: action.into(),
                    detail,
                    commitment: String::new(),
                    prev: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn export(entries: &[Entry]) -> String {
        entries
            .iter()
            .map(|e| serde_json::to_string(e).unwrap() + "\n")
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        let v = verify(&export(&c), Some(&c[4].hash));
        assert_eq!(v.findings, vec![]);
        assert_eq!(v.entries, 5);
    }

    #[test]
    fn every_alteration_removal_and_reordering_is_found() {
        let c = chain(6);
        // Altered: each field of each entry.
        for i in 0..c.len() {
            for field in 0..4 {
                let mut d = c.clone();
                match field {
                    0 => d[i].detail.push('x'),
                    1 => d[i].at += 1,
                    2 => d[i].actor = "delegation:a".into(),
                    _ => d[i].commitment = "ab".into(),
                }
                assert!(
                    !verify(&export(&d), None).findings.is_empty(),
                    "{i} {field}"
                );
            }
        }
        // Removed: any one entry; from the end, against the head.
        for i in 0..c.len() {
            let mut d = c.clone();
            d.remove(i);
            let v = verify(&export(&d), Some(&c[5].hash));
            assert!(!v.findings.is_empty(), "removed {i}");
        }
        // Reordered: any two entries swapped.
        for i in 0..c.len() {
            for j in i + 1..c.len() {
                let mut d = c.clone();
                d.swap(i, j);
                assert!(!verify(&export(&d), None).findings.is_empty(), "{i}<->{j}");
            }
        }
        // A rewritten chain (hashes recomputed after an alteration) fails the noted head.
        let mut d = c.clone();
        d[2].detail = "forged".into();
        let mut prev = GENESIS.to_string();
        for e in &mut d {
            e.prev = prev.clone();
            e.hash = entry_hash(&e.prev, e.seq, e.at, &e.actor, &e.action, &e.detail, "");
            prev = e.hash.clone();
        }
        assert!(verify(&export(&d), None).findings.is_empty());
        assert!(!verify(&export(&d), Some(&c[5].hash)).findings.is_empty());
    }
}

impl Finding {
    /// A stable name for programs: `unreadable`, `other_room`, `sequence`, `link`, `hash` or
    /// `head`.
    pub fn kind(&self) -> &'static str {
        match self {
            Finding::Unreadable { .. } => "unreadable",
            Finding::OtherRoom { .. } => "other_room",
            Finding::Sequence { .. } => "sequence",
            Finding::Link { .. } => "link",
            Finding::Hash { .. } => "hash",
            Finding::Head { .. } => "head",
        }
    }

    /// The line of the export it is about; `None` for the head.
    pub fn line(&self) -> Option<usize> {
        match self {
            Finding::Unreadable { line, .. }
            | Finding::OtherRoom { line }
            | Finding::Sequence { line, .. }
            | Finding::Link { line }
            | Finding::Hash { line } => Some(*line),
            Finding::Head { .. } => None,
        }
    }
}

/// An export verified (`concord audit verify`), as a report: text, JSON (schema
/// `concord.audit-verify/1`) and its answer, whether the chain is intact.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// The export, as the caller named it.
    pub file: String,
    /// What [`verify`] found.
    pub verification: Verification,
    /// Whether a head noted earlier was checked.
    pub head_noted: bool,
}

impl AuditReport {
    /// The typed report.
    pub fn model(&self) -> concord_api::audit_report::AuditVerifyModel {
        use concord_api::audit_report::{AuditFinding, AuditVerifyModel, AUDIT_VERIFY_SCHEMA};
        let v = &self.verification;
        AuditVerifyModel {
            schema: AUDIT_VERIFY_SCHEMA.to_string(),
            file: self.file.clone(),
            entries: v.entries,
            head: v.head.clone(),
            head_noted: self.head_noted,
            intact: v.findings.is_empty(),
            findings: v
                .findings
                .iter()
                .map(|f| AuditFinding {
                    kind: f.kind().to_string(),
                    line: f.line(),
                    message: f.to_string(),
                })
                .collect(),
        }
    }
}

impl concord_api::Report for AuditReport {
    fn text(&self) -> String {
        self.model().text()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self.model()).expect("the report's types serialise to JSON")
    }

    /// Whether the chain is intact.
    fn answer(&self) -> Option<bool> {
        Some(self.verification.findings.is_empty())
    }
}

/// Verifies the export `text` of the file `file` ([`verify`]), and its head against
/// `expected_head` when given; bad input when it holds no entry at all (not an export).
pub fn verify_export(
    file: &str,
    text: &str,
    expected_head: Option<&str>,
) -> Result<AuditReport, concord_api::Error> {
    let verification = verify(text, expected_head);
    if verification.entries == 0 {
        let why = verification
            .findings
            .first()
            .map(|f| format!(": {f}"))
            .unwrap_or_default();
        return Err(concord_api::Error::bad_input(format!(
            "{file}: not an audit export (GET /rooms/ROOM/audit writes one JSON entry per line){why}"
        )));
    }
    Ok(AuditReport {
        file: file.to_string(),
        verification,
        head_noted: expected_head.is_some(),
    })
}
