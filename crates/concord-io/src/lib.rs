//! Concord's readers and writers: the scenario TOML reader with located errors (every problem
//! of a file at once), the claims, commitments and sequencing tables, Genius XML and GeniusWeb
//! JSON (read, written, normalised), the tournament config, the scenario TOML writer, and
//! request values (what-ifs, packages, kept issues) read from text into the model's terms.
//! [`load::read_scenario_file`] reads a scenario file with every reader.
//!
//! The reports on what these read are `concord-report`, one layer up; nothing here renders.
//!
//! ```
//! use concord_io::scenario::{read_scenario, ReadOptions};
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

mod cite;
mod claims;
pub mod evidence;
pub mod fs;
pub mod genius;
pub mod load;
pub mod located;
pub mod request;
pub mod scenario;
pub mod sequence;
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
