//! Every endpoint of the API document × every role: what each role may get, and that no
//! response ever carries another delegation's planted private numbers or red lines. The list of
//! endpoints here is checked against /openapi.json, so a new endpoint without a row fails.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Mediator,
    Up,
    Down,
    Observer,
    Nobody,
    OtherRoom,
}

const EVERYONE: [Who; 6] = [
    Who::Mediator,
    Who::Up,
    Who::Down,
    Who::Observer,
    Who::Nobody,
    Who::OtherRoom,
];

/// One row: an endpoint, a body to send, and the status each role gets.
struct Row {
    method: &'static str,
    path: &'static str,
    body: Option<Value>,
    expect: fn(Who) -> u16,
}

fn members(ok: u16) -> fn(Who) -> u16 {
    match ok {
        200 => |w| match w {
            Who::Nobody | Who::OtherRoom => 401,
            _ => 200,
        },
        _ => unreachable!(),
    }
}

fn only(role: &'static str, ok: u16) -> fn(Who) -> u16 {
    match (role, ok) {
        ("mediator", 200) => |w| match w {
            Who::Mediator => 200,
            Who::Nobody | Who::OtherRoom => 401,
            _ => 403,
        },
        ("mediator", 201) => |w| match w {
            Who::Mediator => 201,
            Who::Nobody | Who::OtherRoom => 401,
            _ => 403,
        },
        ("delegation", 200) => |w| match w {
            Who::Up | Who::Down => 200,
            Who::Nobody | Who::OtherRoom => 401,
            _ => 403,
        },
        _ => unreachable!(),
    }
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            method: "POST",
            path: "/rooms",
            body: Some(json!({"scenario": RIVER})),
            expect: |_| 201,
        },
        Row {
            method: "GET",
            path: "/rooms/{room}",
            body: None,
            expect: members(200),
        },
        Row {
            method: "POST",
            path: "/rooms/{room}/invitations",
            body: Some(json!({"role": "observer"})),
            expect: only("mediator", 201),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/preferences",
            body: None,
            expect: only("delegation", 200),
        },
        Row {
            method: "PUT",
            path: "/rooms/{room}/preferences",
            body: None,
            expect: only("delegation", 200),
        },
        Row {
            method: "PUT",
            path: "/rooms/{room}/consent",
            body: Some(json!({"reveal_red_lines": false})),
            expect: only("delegation", 200),
        },
        Row {
            method: "POST",
            path: "/rooms/{room}/queries",
            body: Some(json!({"kind": "propose"})),
            expect: only("mediator", 200),
        },
        Row {
            method: "POST",
            path: "/rooms/{room}/proposals",
            body: Some(json!({"label": "x", "package": {"share": 40, "monitor": "joint"}})),
            expect: only("mediator", 201),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/proposals",
            body: None,
            expect: members(200),
        },
        Row {
            method: "PUT",
            path: "/rooms/{room}/proposals/{proposal}/response",
            body: Some(json!({"response": "veto"})),
            expect: only("delegation", 200),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/framework",
            body: None,
            expect: members(200),
        },
        Row {
            method: "PUT",
            path: "/rooms/{room}/framework/points/{point}/stance",
            body: Some(json!({"stance": "reserves"})),
            expect: only("delegation", 200),
        },
        Row {
            method: "POST",
            path: "/rooms/{room}/versions",
            body: Some(
                json!({"scenario": RIVER.replace("Draft accord", "Draft accord, revised"), "note": "retitled"}),
            ),
            expect: only("mediator", 201),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/versions",
            body: None,
            expect: members(200),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/versions/{from}/diff/{to}",
            body: None,
            expect: members(200),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/ledger",
            body: None,
            expect: members(200),
        },
        Row {
            method: "GET",
            path: "/rooms/{room}/audit",
            body: None,
            expect: members(200),
        },
        Row {
            method: "GET",
            path: "/health",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/openapi.json",
            body: None,
            expect: |_| 200,
        },
        // The dashboard and the analyst's endpoints: no room, no token; the analyst's own
        // files only (tests/common's workspace), never a room's private values.
        Row {
            method: "GET",
            path: "/",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/dashboard/app.js",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/dashboard/app.css",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "POST",
            path: "/analyst/scenarios",
            body: Some(
                json!({"name": "water.toml", "toml": include_str!("../../../examples/water-sharing.toml")}),
            ),
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios/{id}/analysis",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios/{id}/space",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios/{id}/sequence",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios/{id}/claims",
            body: None,
            expect: |_| 200,
        },
        Row {
            method: "GET",
            path: "/analyst/scenarios/{id}/conflicts",
            body: None,
            // No report texts were given to this server.
            expect: |_| 404,
        },
        Row {
            method: "POST",
            path: "/analyst/scenarios/{id}/simulate",
            body: Some(json!({"default_strategy": "boulware", "rounds": 20})),
            expect: |_| 200,
        },
    ]
}

#[tokio::test]
async fn the_rows_cover_every_endpoint_of_the_api_document() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let doc = server.ok("GET", "/openapi.json", None, None, 200).await;
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let tested: BTreeSet<(String, String)> = rows()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(
        documented, tested,
        "every documented endpoint needs a row here, and only those"
    );
}

#[tokio::test]
async fn every_endpoint_and_role_gets_what_it_may_and_no_planted_secret() {
    for db in backends() {
        let server = Server::new(&db).await;
        let (room, mediator, up, down) = river_room(&server).await;
        let observer = server
            .ok(
                "POST",
                &format!("/rooms/{room}/invitations"),
                Some(&mediator),
                Some(&json!({"role": "observer"})),
                201,
            )
            .await["token"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, other_mediator, _, _) = river_room(&server).await;
        // A proposal to respond to; questions asked, so the ledger has entries.
        server
            .ok(
                "POST",
                &format!("/rooms/{room}/proposals"),
                Some(&mediator),
                Some(&json!({"label": "p", "package": {"share": 40, "monitor": "joint"}})),
                201,
            )
            .await;
        for kind in ["zone", "deadlock"] {
            server
                .ok(
                    "POST",
                    &format!("/rooms/{room}/queries"),
                    Some(&mediator),
                    Some(&json!({"kind": kind})),
                    200,
                )
                .await;
        }
        server
            .ok(
                "POST",
                &format!("/rooms/{room}/versions"),
                Some(&mediator),
                Some(&json!({"scenario": RIVER, "note": "same"})),
                201,
            )
            .await;
        let mut checked = 0;
        for row in rows() {
            for who in EVERYONE {
                let token = match who {
                    Who::Mediator => Some(mediator.as_str()),
                    Who::Up => Some(up.as_str()),
                    Who::Down => Some(down.as_str()),
                    Who::Observer => Some(observer.as_str()),
                    Who::Nobody => None,
                    Who::OtherRoom => Some(other_mediator.as_str()),
                };
                // The Kyiv example has steps and claims; the river example is small.
                let id = if row.path.ends_with("/sequence") || row.path.ends_with("/claims") {
                    "kyiv-2026"
                } else {
                    "water-sharing"
                };
                let mut path = row
                    .path
                    .replace("{id}", id)
                    .replace("{room}", &room)
                    .replace("{proposal}", "p1")
                    .replace("{point}", "1")
                    .replace("{from}", "1")
                    .replace("{to}", "2");
                if row.path.ends_with("/space") {
                    path.push_str("?x=upstream&y=downstream");
                }
                // A delegation resubmits its own preferences; anyone else tries upstream's.
                let body = match (row.path, who) {
                    ("/rooms/{room}/preferences", Who::Down) if row.method == "PUT" => {
                        Some(down_prefs())
                    }
                    ("/rooms/{room}/preferences", _) if row.method == "PUT" => Some(up_prefs()),
                    _ => row.body.clone(),
                };
                let (status, text) = server.call(row.method, &path, token, body.as_ref()).await;
                assert_eq!(
                    status.as_u16(),
                    (row.expect)(who),
                    "{} {} as {who:?} on {}: {text}",
                    row.method,
                    row.path,
                    db.name
                );
                // What must not appear: every planted value but the caller's own.
                let forbidden: Vec<&str> = match who {
                    Who::Up => planted("down"),
                    Who::Down => planted("up"),
                    _ => [planted("up"), planted("down")].concat(),
                };
                for secret in forbidden {
                    assert!(
                        !text.contains(secret),
                        "{} {} as {who:?} on {} leaks `{secret}`: {text}",
                        row.method,
                        row.path,
                        db.name
                    );
                }
                // The search can find what it looks for: a delegation reading its own
                // preferences gets its own planted values.
                if row.method == "GET" && row.path == "/rooms/{room}/preferences" {
                    match who {
                        Who::Up => {
                            assert!(text.contains("0.31379") && text.contains("up-secret-line-q7"))
                        }
                        Who::Down => assert!(
                            text.contains("0.27191") && text.contains("down-secret-line-z3")
                        ),
                        _ => {}
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, rows().len() * EVERYONE.len());
    }
}

#[tokio::test]
async fn a_token_is_refused_when_altered_or_of_another_room() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, mediator, _, _) = river_room(&server).await;
    let (room2, _, _, _) = river_room(&server).await;
    let (member, secret) = mediator.split_once('.').unwrap();
    let mut altered = secret.to_string();
    let last = altered.pop().unwrap();
    altered.push(if last == '0' { '1' } else { '0' });
    for token in [
        format!("{member}.{altered}"),
        format!("{member}."),
        member.to_string(),
        String::new(),
        format!("{member}.{secret}x"),
    ] {
        let (status, _) = server
            .call("GET", &format!("/rooms/{room}"), Some(&token), None)
            .await;
        assert_eq!(status.as_u16(), 401, "{token}");
    }
    let (status, _) = server
        .call("GET", &format!("/rooms/{room2}"), Some(&mediator), None)
        .await;
    assert_eq!(status.as_u16(), 401);
    // An unknown room and a room of another's token look alike.
    let (status, _) = server
        .call("GET", "/rooms/0000000000000000", Some(&mediator), None)
        .await;
    assert_eq!(status.as_u16(), 401);
}

#[tokio::test]
async fn the_analyst_endpoints_are_off_unless_turned_on() {
    let db = sqlite();
    let state = concord_server::AppState::open(concord_server::Config::new(db.url.clone()))
        .await
        .unwrap();
    let server = Server {
        app: concord_server::router(state.clone()),
        state,
    };
    for (method, path) in [
        ("GET", "/analyst/scenarios"),
        ("GET", "/analyst/scenarios/kyiv-2026/analysis"),
        ("POST", "/analyst/scenarios/kyiv-2026/simulate"),
    ] {
        let body = (method == "POST").then(|| json!({"default_strategy": "boulware"}));
        let (status, text) = server.call(method, path, None, body.as_ref()).await;
        assert_eq!(status.as_u16(), 404, "{method} {path}: {text}");
        assert!(text.contains("--open FILE"), "{text}");
    }
    let (status, _) = server
        .call(
            "POST",
            "/analyst/scenarios",
            None,
            Some(&json!({"name": "x.toml", "toml": RIVER})),
        )
        .await;
    assert_eq!(status.as_u16(), 404);
}
