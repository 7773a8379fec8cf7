//! Concord's mediation server: a neutral site that holds each delegation's private preferences,
//! answers the mediator's questions from all of them through the application layer, declares an
//! agreement only when every secret acceptance meets on the same package, and records what each
//! answer reveals (the leakage ledger) and every action (a hash-chained audit log).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = concord_server::Config::new("concord.db");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! concord_server::serve(config, listener, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! docs/server.md describes the roles, the API and the confidentiality model.

pub mod analyst;
pub mod audit;
mod compose;
mod dashboard;
mod db;
mod error;
mod routes;
mod state;

use std::future::Future;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use utoipa::OpenApi;

pub use analyst::Workspace;
pub use compose::submission_from_scenario;
pub use error::{ApiError, ErrorBody, FieldProblem};
pub use state::{AppState, Config};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Concord mediation server", description = "Rooms, private preferences, blind acceptance, a leakage ledger and an audit chain (docs/server.md)."),
    paths(
        routes::create_room,
        routes::get_room,
        routes::invite,
        routes::put_preferences,
        routes::get_preferences,
        routes::put_consent,
        routes::post_query,
        routes::post_proposal,
        routes::get_proposals,
        routes::put_response,
        routes::get_framework,
        routes::put_stance,
        routes::post_version,
        routes::get_versions,
        routes::get_diff,
        routes::get_ledger,
        routes::get_audit,
        routes::health,
        openapi_json,
        analyst::list,
        analyst::upload,
        analyst::analysis,
        analyst::space,
        analyst::sequence,
        analyst::claims,
        analyst::conflicts,
        analyst::simulate,
        dashboard::index,
        dashboard::script,
        dashboard::style,
    ),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This API document (OpenAPI 3.1).
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "the OpenAPI document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The routes, on a state, with the analyst views off.
pub fn router(state: AppState) -> Router {
    router_with(state, std::sync::Arc::new(Workspace::disabled()))
}

/// The routes, on a state and the analyst's workspace.
pub fn router_with(state: AppState, workspace: std::sync::Arc<Workspace>) -> Router {
    let limit = state.0.config.body_limit;
    *state.0.workspace.lock().unwrap_or_else(|e| e.into_inner()) = Some(workspace.clone());
    Router::new()
        .route("/", get(dashboard::index))
        .route("/dashboard/app.js", get(dashboard::script))
        .route("/dashboard/app.css", get(dashboard::style))
        .route("/rooms", post(routes::create_room))
        .route("/rooms/{room}", get(routes::get_room))
        .route("/rooms/{room}/invitations", post(routes::invite))
        .route(
            "/rooms/{room}/preferences",
            put(routes::put_preferences).get(routes::get_preferences),
        )
        .route("/rooms/{room}/consent", put(routes::put_consent))
        .route("/rooms/{room}/queries", post(routes::post_query))
        .route(
            "/rooms/{room}/proposals",
            post(routes::post_proposal).get(routes::get_proposals),
        )
        .route(
            "/rooms/{room}/proposals/{proposal}/response",
            put(routes::put_response),
        )
        .route("/rooms/{room}/framework", get(routes::get_framework))
        .route(
            "/rooms/{room}/framework/points/{point}/stance",
            put(routes::put_stance),
        )
        .route(
            "/rooms/{room}/versions",
            post(routes::post_version).get(routes::get_versions),
        )
        .route(
            "/rooms/{room}/versions/{from}/diff/{to}",
            get(routes::get_diff),
        )
        .route("/rooms/{room}/ledger", get(routes::get_ledger))
        .route("/rooms/{room}/audit", get(routes::get_audit))
        .route("/health", get(routes::health))
        .route("/openapi.json", get(openapi_json))
        .with_state(state)
        .merge(analyst::router(workspace))
        .layer(DefaultBodyLimit::max(limit))
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database {database}: {reason}")]
    Database {
        /// As given.
        database: String,
        /// Why.
        reason: String,
    },
    /// The address could not be listened on.
    #[error("cannot listen on {address}: {reason}")]
    Listen {
        /// As given.
        address: std::net::SocketAddr,
        /// Why.
        reason: std::io::Error,
    },
    /// Serving failed.
    #[error("serving failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the database (creating or updating its tables), with an error that says why not.
pub async fn open(config: Config) -> Result<AppState, ServeError> {
    let database = config.database.clone();
    AppState::open(config)
        .await
        .map_err(|e| ServeError::Database {
            database,
            reason: e.to_string(),
        })
}

/// Serves `state` on `listener` until `shutdown` completes; requests under way finish first.
pub async fn serve_state(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_with(state, Workspace::disabled(), listener, shutdown).await
}

/// [`serve_state`] with the analyst views of `workspace` (docs/dashboard.md).
pub async fn serve_with(
    state: AppState,
    workspace: Workspace,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    axum::serve(listener, router_with(state, std::sync::Arc::new(workspace)))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Opens the database and serves on `listener` until `shutdown` completes.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_state(open(config).await?, listener, shutdown).await
}

/// Runs the server on a runtime of its own, for a caller without one (the command line):
/// listens on `listen`, opens the database, calls `listening` with the address bound, and
/// serves until `stop` is set (polled every 100 ms); requests under way finish first.
pub fn run_until(
    config: Config,
    workspace: Workspace,
    listen: std::net::SocketAddr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    listening: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|reason| ServeError::Listen {
                address: listen,
                reason,
            })?;
        let state = open(config).await?;
        listening(listener.local_addr().unwrap_or(listen));
        let shutdown = async move {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        };
        serve_with(state, workspace, listener, shutdown).await
    })
}
