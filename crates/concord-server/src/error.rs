//! The server's one error type, and how it becomes a response: 4xx with the located problems for
//! a client's mistake, 500 with no detail (and a log line with it) for the server's.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A located problem of a request, by request field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldProblem {
    /// The request field's path (`issues.nato.weight`, `red_lines[0].party`, or
    /// `scenario: parties[1].role` for a line of an uploaded scenario).
    pub field: String,
    /// The line in an uploaded scenario (0 for a JSON field).
    pub line: usize,
    /// The column in an uploaded scenario (0 for a JSON field).
    pub column: usize,
    /// What was found.
    pub found: String,
    /// What was expected.
    pub expected: String,
}

impl FieldProblem {
    /// A problem of a JSON request field.
    pub fn field(field: String, found: impl Into<String>, expected: impl Into<String>) -> Self {
        FieldProblem {
            field,
            line: 0,
            column: 0,
            found: found.into(),
            expected: expected.into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `too_large`,
    /// `rate_limited`, `limit`, `unavailable` or `internal`.
    pub kind: String,
    /// For people.
    pub message: String,
    /// The located problems of the request, when it is a client's mistake.
    pub problems: Vec<FieldProblem>,
}

/// Why a request failed.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// A stable name.
    pub kind: &'static str,
    /// For the client.
    pub message: String,
    /// The located problems.
    pub problems: Vec<FieldProblem>,
    /// For the log only (internal errors).
    detail: Option<String>,
}

static REFERENCE: AtomicU64 = AtomicU64::new(1);

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            problems: Vec::new(),
            detail: None,
        }
    }

    /// 400: the request is wrong.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 400 with located problems.
    pub fn bad_request_problems(message: impl Into<String>, problems: Vec<FieldProblem>) -> Self {
        ApiError {
            problems,
            ..Self::bad_request(message)
        }
    }

    /// 401: no token, or a token this server does not know.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid token of this room is needed (header `Authorization: Bearer TOKEN`)",
        )
    }

    /// 403: the token's role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 409: the room is not in a state that allows it.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 429: too many revealing questions.
    pub fn rate_limited(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
    }

    /// 500: the client learns only that it happened and a reference; the log gets the detail.
    pub fn internal(detail: impl Into<String>) -> Self {
        ApiError {
            detail: Some(detail.into()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        }
    }

    /// An application-layer error, with its problems renamed by `locate`.
    pub fn from_api(
        e: concord_api::Error,
        locate: impl Fn(&concord_api::Problem) -> FieldProblem,
    ) -> Self {
        use concord_api::ErrorKind;
        match e.kind() {
            ErrorKind::BadInput => {
                let problems: Vec<FieldProblem> = e.problems().iter().map(locate).collect();
                let message = if problems.is_empty() {
                    e.message().to_string()
                } else {
                    let mut m = format!("{} problem(s):", problems.len());
                    for p in &problems {
                        m.push_str(&format!(
                            "\n  {}: found {}, expected {}",
                            if p.field.is_empty() {
                                "(top level)"
                            } else {
                                &p.field
                            },
                            p.found,
                            p.expected
                        ));
                    }
                    m
                };
                ApiError {
                    problems,
                    ..Self::bad_request(message)
                }
            }
            ErrorKind::Limit => Self::new(StatusCode::UNPROCESSABLE_ENTITY, "limit", e.message()),
            ErrorKind::Cancelled => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the computation was stopped; try again",
            ),
            _ => Self::internal(e.message().to_string()),
        }
    }

    /// An application-layer error whose problems are not located in a request.
    pub fn from_api_plain(e: concord_api::Error) -> Self {
        Self::from_api(e, |p| {
            FieldProblem::field(p.field.clone(), &p.found, &p.expected)
        })
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut message = self.message;
        if let Some(detail) = &self.detail {
            let reference = REFERENCE.fetch_add(1, Ordering::Relaxed);
            eprintln!("concord serve: internal error (reference {reference}): {detail}");
            message = format!("internal error (reference {reference} in the server's log)");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                kind: self.kind.to_string(),
                message,
                problems: self.problems,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
