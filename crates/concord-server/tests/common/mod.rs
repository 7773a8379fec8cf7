//! Test support: a server over a fresh database (SQLite in a temp folder, and PostgreSQL), called
//! in process; and a delegation's preferences taken from a scenario file.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use concord_server::{router_with, AppState, Config, Workspace};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The workspace root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A database for one test, dropped with it.
pub struct TestDb {
    pub url: String,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.pg_drop.take() {
            let _ = std::process::Command::new("psql")
                .args([
                    &admin,
                    "-q",
                    "-c",
                    &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
                ])
                .output();
        }
    }
}

/// A fresh SQLite file in a temp folder.
pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("a temp folder");
    let path = dir.path().join("rooms.db");
    TestDb {
        url: path.to_string_lossy().into_owned(),
        name: "sqlite",
        _dir: Some(dir),
        pg_drop: None,
    }
}

/// The PostgreSQL server tests use: `CONCORD_TEST_POSTGRES` (an admin URL), else the local one.
pub fn postgres_admin() -> String {
    std::env::var("CONCORD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/postgres".to_string())
}

/// A fresh PostgreSQL database, or `None` when no server answers (outside CI only: in CI,
/// where `.ci/run` starts one, a missing server fails the test).
pub fn postgres() -> Option<TestDb> {
    let admin = postgres_admin();
    let db = format!("concord_test_{}", rand_suffix());
    let out = std::process::Command::new("psql")
        .args([&admin, "-q", "-c", &format!("CREATE DATABASE {db}")])
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var_os("CI").is_some() {
                panic!("CI needs a PostgreSQL server at {admin} (.ci/run starts one): {why}");
            }
            eprintln!("skipping PostgreSQL (not in CI; no server at {admin}): {why}");
            return None;
        }
    }
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(TestDb {
        url: format!("{base}/{db}"),
        name: "postgres",
        _dir: None,
        pg_drop: Some((admin.clone(), db)),
    })
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{}", std::process::id(), n % 1_000_000_000_000)
}

/// Every backend to test on.
pub fn backends() -> Vec<TestDb> {
    let mut out = vec![sqlite()];
    out.extend(postgres());
    out
}

/// A server over a database, called in process.
#[derive(Clone)]
pub struct Server {
    pub app: axum::Router,
    pub state: AppState,
}

impl Server {
    pub async fn new(db: &TestDb) -> Server {
        Self::with(Config::new(db.url.clone())).await
    }

    pub async fn with(config: Config) -> Server {
        let state = AppState::open(config).await.expect("the database opens");
        Server {
            app: router_with(state.clone(), std::sync::Arc::new(analyst_workspace())),
            state,
        }
    }

    /// A request; the status and the body as text.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, String) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.raw(req).await
    }

    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, String) {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A request that must succeed with `expect`; its body as JSON (or a string).
    pub async fn ok(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        expect: u16,
    ) -> Value {
        let (status, text) = self.call(method, path, token, body).await;
        assert_eq!(status.as_u16(), expect, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}

/// The analyst views on, with the examples `kyiv-2026` and `water-sharing` open (the analyst's
/// own files, nothing of any room's) and no report texts.
pub fn analyst_workspace() -> Workspace {
    let workspace = Workspace::new(Vec::new());
    for name in ["kyiv-2026.toml", "water-sharing.toml"] {
        let path = root().join("examples").join(name);
        let text = std::fs::read_to_string(&path).expect("the example is readable");
        workspace.open(name, &text).expect("the example opens");
    }
    workspace
}

/// A party's submission taken from a scenario file.
pub fn submission_from(text: &str, party: &str) -> Value {
    concord_server::submission_from_scenario(text, party).unwrap()
}

/// A small scenario with a framework, two delegations whose private values are planted
/// (distinctive decimals and red-line ids), and a mediator.
pub const RIVER: &str = r#"
[scenario]
id = "river"
title = "Two towns share a river"

[[parties]]
id = "up"
name = "Upstream town"
role = "party"

[[parties]]
id = "down"
name = "Downstream town"
role = "party"

[[parties]]
id = "prov"
name = "The province"
role = "mediator"

[[issues]]
id = "share"
name = "Share of the flow released downstream"
numeric = { min = 20, max = 80, step = 20, unit = "%" }

[[issues]]
id = "monitor"
name = "Who monitors the flow"
options = [{ id = "upstream", name = "Upstream town" }, "joint", "province"]

[framework]
title = "Draft accord"

[[framework.points]]
number = 1
title = "Release"
issues = ["share"]

[[framework.points]]
number = 2
title = "Monitoring"
issues = ["monitor"]
proposes = { monitor = "joint" }
"#;

/// Upstream's planted preferences.
pub fn up_prefs() -> Value {
    serde_json::json!({
        "reservation": 0.31379,
        "issues": {
            "share": {"weight": 0.61733, "points": [[20, 1.0], [80, 0.04517]]},
            "monitor": {"weight": 0.38267, "values": {"upstream": 1.0, "joint": 0.64811, "province": 0.21973}}
        },
        "red_lines": [{"id": "up-secret-line-q7", "issue": "share", "at_most": 60}]
    })
}

/// Downstream's planted preferences.
pub fn down_prefs() -> Value {
    serde_json::json!({
        "reservation": 0.27191,
        "issues": {
            "share": {"weight": 0.55637, "points": [[20, 0.0], [60, 0.83129], [80, 1.0]]},
            "monitor": {"weight": 0.44363, "values": {"upstream": 0.0, "joint": 0.71357, "province": 1.0}}
        },
        "red_lines": [{"id": "down-secret-line-z3", "if": {"issue": "share", "is": [20, 40]}, "then": {"issue": "monitor", "must_not_be": ["upstream"]}}]
    })
}

/// The planted values of a party: strings that must never reach anyone else.
pub fn planted(party: &str) -> Vec<&'static str> {
    match party {
        "up" => vec![
            "0.31379",
            "0.61733",
            "0.04517",
            "0.38267",
            "0.64811",
            "0.21973",
            "up-secret-line-q7",
        ],
        _ => vec![
            "0.27191",
            "0.55637",
            "0.83129",
            "0.44363",
            "0.71357",
            "down-secret-line-z3",
        ],
    }
}

/// A room of RIVER with both delegations' preferences in; returns (room, mediator, up, down).
pub async fn river_room(server: &Server) -> (String, String, String, String) {
    let created = server
        .ok(
            "POST",
            "/rooms",
            None,
            Some(&serde_json::json!({"name": "river", "scenario": RIVER})),
            201,
        )
        .await;
    let room = created["room"].as_str().unwrap().to_string();
    let mediator = created["mediator_token"].as_str().unwrap().to_string();
    let mut tokens = Vec::new();
    for (party, prefs) in [("up", up_prefs()), ("down", down_prefs())] {
        let inv = server
            .ok(
                "POST",
                &format!("/rooms/{room}/invitations"),
                Some(&mediator),
                Some(&serde_json::json!({"role": "delegation", "party": party})),
                201,
            )
            .await;
        let token = inv["token"].as_str().unwrap().to_string();
        server
            .ok(
                "PUT",
                &format!("/rooms/{room}/preferences"),
                Some(&token),
                Some(&prefs),
                200,
            )
            .await;
        tokens.push(token);
    }
    let down = tokens.pop().unwrap();
    let up = tokens.pop().unwrap();
    (room, mediator, up, down)
}

/// A folder of `../shared`, or `None` when it is absent outside CI (in CI, where it always is,
/// its absence fails the test).
pub fn shared(path: &str) -> Option<std::path::PathBuf> {
    let dir = root().join("../shared").join(path);
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("{} is absent, and CI always has ../shared", dir.display());
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}
