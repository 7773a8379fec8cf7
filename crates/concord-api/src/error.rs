//! The one error type of every use case, with its kind.

use concord_core::analysis::AnalysisError;
use concord_io::fs::FsError;
use concord_io::request::RequestError;
use concord_io::FormatError;

/// What kind of failure an [`Error`] is: what a caller does about it differs for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is wrong (a file that breaks the format, an unknown id, a model that fails
    /// [`Scenario::validate`](concord_core::model::Scenario::validate)): fix the input.
    BadInput,
    /// The input is well formed, but answering it exactly would pass a limit of the request
    /// (space size, partial sums, merge work, search nodes): raise the limit or choose another
    /// method; the message says which.
    Limit,
    /// The caller's [`CancelToken`](crate::CancelToken) stopped the work.
    Cancelled,
    /// Concord failed where it should not have (a solver failure, a broken invariant): a bug to
    /// report, not a problem of the input.
    Internal,
}

impl ErrorKind {
    /// A stable name for programs (`bad_input`, `limit`, `cancelled`, `internal`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadInput => "bad_input",
            ErrorKind::Limit => "limit",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Why a use case gave no answer. An empty agreement zone or a deadlock is an answer, not an
/// error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    problems: Vec<Problem>,
    request: Option<Box<RequestError>>,
    remedy: Option<&'static str>,
}

/// One located problem of an input file, for programs (the message holds them all in words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the input named it.
    pub file: String,
    /// 1-based line (0 when the problem has no place in the file).
    pub line: usize,
    /// 1-based column (0 when it has no place).
    pub column: usize,
    /// The field's path, such as `preferences.a.issues.x.weight` (empty for a syntax error).
    pub field: String,
    /// What was found.
    pub found: String,
    /// What was expected.
    pub expected: String,
}

impl Error {
    /// An error of `kind` with a message for people.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            problems: Vec::new(),
            request: None,
            remedy: None,
        }
    }

    /// Bad input.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadInput, message)
    }

    /// Its kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Its message (located diagnostics hold one line per problem).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The located problems of an input file, when the error is a reader's (empty otherwise).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The request value at fault, when a request field does not fit the scenario (its message
    /// names the field as the request struct does; a front end may name it as its own flag).
    pub fn request(&self) -> Option<&RequestError> {
        self.request.as_deref()
    }

    /// The request field that would get past the error, when one would (`drop_red_line`, …;
    /// for an error of kind [`ErrorKind::Limit`], the limit to raise, such as `max_nodes`): a
    /// front end names it as its own flag or keyword. Two names are not fields of a single
    /// request: `fill` (a whole package, or the concept that fills a partial one) and `config`
    /// (the tournament's configuration, in the request or its file); `versions` names both
    /// versions of a diff (`from` and `to`).
    pub fn remedy(&self) -> Option<&'static str> {
        self.remedy
    }

    /// The same error with the request field that would get past it.
    pub(crate) fn with_remedy(self, field: &'static str) -> Self {
        Error {
            remedy: Some(field),
            ..self
        }
    }

    /// The same error with `context` in front of its message (`cannot analyse FILE: …`).
    pub fn context(self, context: impl std::fmt::Display) -> Self {
        Error {
            message: format!("{context}: {}", self.message),
            ..self
        }
    }

    /// The same error with a hint after its message (how a front end's user raises a limit).
    pub fn with_hint(self, hint: impl std::fmt::Display) -> Self {
        Error {
            message: format!("{}; {hint}", self.message),
            ..self
        }
    }

    /// An analysis failure, classified; `cancelled` says whether the caller's token was set
    /// (a stop is then the caller's, not a limit's).
    pub(crate) fn from_analysis(e: AnalysisError, cancelled: bool) -> Self {
        let kind = match &e {
            AnalysisError::InvalidModel(_)
            | AnalysisError::MissingPreferences { .. }
            | AnalysisError::NoConsentingParty
            | AnalysisError::SelfContradictoryRedLines { .. }
            | AnalysisError::NoIssues => ErrorKind::BadInput,
            AnalysisError::Stopped(_) if cancelled => ErrorKind::Cancelled,
            _ => ErrorKind::Limit,
        };
        // The setting that raises the limit reached; core's messages name none (a front end
        // names it its own way: a flag, a keyword argument, a request field).
        let remedy = match &e {
            AnalysisError::TooManyPartialSums(_) => Some("max_partial_sums"),
            AnalysisError::MergeBudget(_) => Some("max_merge_work"),
            AnalysisError::Stopped(_) if !cancelled => Some("max_nodes"),
            _ => None,
        };
        let error = Error::new(kind, e.to_string());
        match remedy {
            Some(field) => error.with_remedy(field),
            None => error,
        }
    }
}

impl From<FormatError> for Error {
    /// A reader's error is bad input; located diagnostics already name the file on every line.
    fn from(e: FormatError) -> Self {
        let problems = match &e {
            FormatError::Syntax {
                file,
                line,
                column,
                message,
            } => vec![Problem {
                file: file.clone(),
                line: *line,
                column: *column,
                field: String::new(),
                found: message.clone(),
                expected: "valid TOML".to_string(),
            }],
            FormatError::Invalid(d) => d
                .items
                .iter()
                .map(|i| Problem {
                    file: d.file.clone(),
                    line: i.line,
                    column: i.column,
                    field: i.field.clone(),
                    found: i.found.clone(),
                    expected: i.expected.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Error {
            problems,
            ..Error::bad_input(e.to_string().trim_end())
        }
    }
}

impl From<FsError> for Error {
    /// A file or folder that cannot be read is bad input, a folder of reports over its limit a
    /// limit (with the setting that raises it, `max_report_bytes`); the message names the path.
    fn from(e: FsError) -> Self {
        match &e {
            FsError::ReportsTooLarge { total, .. } => Error::new(
                ErrorKind::Limit,
                format!(
                    "{e}: extraction takes about 0.5 CPU-seconds per MiB of text, and more for \
                     many reports (every two are compared for copies); raise the limit to \
                     {total} bytes or more, or split the folder"
                ),
            )
            .with_remedy("max_report_bytes"),
            _ => Error::new(ErrorKind::BadInput, e.to_string()),
        }
    }
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        Error {
            request: Some(Box::new(e.clone())),
            ..Error::bad_input(e.to_string())
        }
    }
}

/// The result of every use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;
