//! The report of `concord audit verify`: a room's exported audit chain checked offline, as a
//! typed model (schema `concord.audit-verify/1`, `schemas/audit-verify.schema.json`) and its
//! text. The verification itself is the server's (`concord_server::audit::verify`).

use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;

/// The identifier of the report's JSON.
pub const AUDIT_VERIFY_SCHEMA: &str = "concord.audit-verify/1";

/// An audit export, verified.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuditVerifyModel {
    /// `concord.audit-verify/1`.
    #[schemars(extend("const" = "concord.audit-verify/1"))]
    pub schema: String,
    /// The export, as the input named it.
    pub file: String,
    /// The entries read.
    pub entries: usize,
    /// The last entry's hash.
    pub head: String,
    /// Whether a head noted earlier was given: entries removed from the end are then found too.
    pub head_noted: bool,
    /// Whether every entry follows the one before and none was altered (exit 0).
    pub intact: bool,
    /// What is wrong, in the order found.
    pub findings: Vec<AuditFinding>,
}

/// One thing wrong with an export.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuditFinding {
    /// `unreadable`, `other_room`, `sequence`, `link`, `hash` or `head`.
    pub kind: String,
    /// The line of the export (1-based); null for the head.
    pub line: Option<usize>,
    /// What it means, in words.
    pub message: String,
}

impl AuditVerifyModel {
    /// The report as text: intact with its head, or broken with every finding.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.intact {
            let _ = writeln!(
                out,
                "{}: the audit chain is intact: {}, head {}{}",
                self.file,
                crate::layout::counted(self.entries, "entry", "entries"),
                self.head,
                if self.head_noted {
                    " (the head noted)"
                } else {
                    " (with no head noted, entries removed from the end cannot be found)"
                }
            );
        } else {
            let _ = writeln!(
                out,
                "{}: the audit chain is broken ({} read):",
                self.file,
                crate::layout::counted(self.entries, "entry", "entries")
            );
            for f in &self.findings {
                let _ = writeln!(out, "  {}", f.message);
            }
        }
        out
    }
}
