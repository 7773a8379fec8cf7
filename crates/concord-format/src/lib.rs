//! Concord's file formats: the TOML scenario reader, with located errors, Genius and GeniusWeb,
//! CSV and Parquet tables; and every report, as a typed model (serde + schemars: the
//! `*_report` modules, their JSON Schemas listed by [`schemas::report_schemas`]) and as text.
//!
//! ```
//! use concord_format::scenario::{read_scenario, ReadOptions};
//!
//! let text = r#"
//! [scenario]
//! id = "demo"
//! title = "Demo"
//!
//! [[parties]]
//! id = "a"
//! name = "A"
//! role = "party"
//!
//! [[issues]]
//! id = "x"
//! name = "X"
//! options = ["yes", "no"]
//!
//! [preferences.a]
//! reservation = 0.5
//! [preferences.a.issues.x]
//! weight = 1.0
//! values = { yes = 1.0, no = 1.5 }
//! "#;
//! let err = read_scenario(text, "demo.toml", &ReadOptions::default()).unwrap_err();
//! assert!(err.to_string().contains("demo.toml:20:"));
//! ```

use thiserror::Error;

pub mod analysis_report;
pub mod draft_report;
pub mod evidence;
pub mod evidence_report;
pub mod genius;
pub mod json;
pub mod layout;
pub mod located;
pub mod proposal;
pub mod scenario;
pub mod schemas;
pub mod sequence;
pub mod sequence_report;
pub mod sources_report;
pub mod space_report;
pub mod table;
pub mod text;
pub mod tournament;
pub mod write;

pub use located::{Diagnostic, Diagnostics};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file is not valid TOML; nothing after the first syntax error can be trusted.
    #[error("{file}:{line}:{column}: not valid TOML: {message}")]
    Syntax {
        /// The file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The file is valid TOML but breaks the scenario format; every problem is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A Genius or GeniusWeb folder lacks what it needs (a domain, a profile).
    #[error("{0}")]
    Genius(String),
}
