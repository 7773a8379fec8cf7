//! The dashboard's page, script and style sheet (`dashboard/`), compiled into the binary: the
//! dashboard works offline, fetching nothing but this server's API (docs/dashboard.md).

use axum::http::header;
use axum::response::IntoResponse;

const INDEX: &str = include_str!("../dashboard/index.html");
const SCRIPT: &str = include_str!("../dashboard/app.js");
const STYLE: &str = include_str!("../dashboard/app.css");

/// Headers every page response carries: no script, style or connection from anywhere but
/// this server, and no framing by another site.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The dashboard (a single page; its views are addressed by the URL's fragment).
#[utoipa::path(get, path = "/", responses((status = 200, description = "the dashboard's page (text/html)", body = String)))]
pub async fn index() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        INDEX,
    )
}

/// The dashboard's script.
#[utoipa::path(get, path = "/dashboard/app.js", responses((status = 200, description = "JavaScript", body = String)))]
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
}

/// The dashboard's style sheet.
#[utoipa::path(get, path = "/dashboard/app.css", responses((status = 200, description = "CSS", body = String)))]
pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        STYLE,
    )
}
