//! Bad requests get 4xx with located problems, never 500; nothing already saved is lost.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{json, Value};

fn problems(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    v["error"]["problems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn malformed_bodies_are_400_with_the_problem() {
    let db = sqlite();
    let server = Server::new(&db).await;
    for (body, content_type) in [
        ("{not json", "application/json"),
        ("{\"scenario\": 5}", "application/json"),
        ("{\"scenario\": \"x\", \"extra\": 1}", "application/json"),
        ("{}", "application/json"),
        ("{\"scenario\": \"\"}", "text/plain"),
    ] {
        let req = Request::builder()
            .method("POST")
            .uri("/rooms")
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap();
        let (status, text) = server.raw(req).await;
        assert!(status.is_client_error(), "{body}: {status} {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["error"]["kind"], "bad_request", "{text}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let db = sqlite();
    let mut config = concord_server::Config::new(db.url.clone());
    config.body_limit = 1000;
    let server = Server::with(config).await;
    let big = json!({"scenario": "x".repeat(5000)});
    let (status, text) = server.call("POST", "/rooms", None, Some(&big)).await;
    assert_eq!(status.as_u16(), 413, "{text}");
    assert!(text.contains("too_large"), "{text}");
}

#[tokio::test]
async fn a_bad_scenario_names_the_line_and_field_of_the_upload() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let bad = RIVER.replace("role = \"mediator\"", "role = \"arbiter\"");
    let (status, text) = server
        .call("POST", "/rooms", None, Some(&json!({"scenario": bad})))
        .await;
    assert_eq!(status.as_u16(), 400, "{text}");
    let p = problems(&text);
    assert!(!p.is_empty(), "{text}");
    let line = bad.lines().position(|l| l.contains("arbiter")).unwrap() + 1;
    assert!(
        p.iter()
            .any(|p| p["line"] == json!(line) && p["field"].as_str().unwrap().contains("role")),
        "{text}"
    );
    let (status, text) = server
        .call(
            "POST",
            "/rooms",
            None,
            Some(&json!({"scenario": "[scenario\nid ="})),
        )
        .await;
    assert_eq!(status.as_u16(), 400, "{text}");
}

#[tokio::test]
async fn bad_preferences_name_request_fields_and_keep_what_was_saved() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, _, up, _) = river_room(&server).await;
    let cases: Vec<(Value, &str)> = vec![
        (
            {
                let mut p = up_prefs();
                p["issues"]["share"]["weight"] = json!(0.9);
                p
            },
            "issues",
        ),
        (
            {
                let mut p = up_prefs();
                p["issues"]["monitor"]["values"]["nowhere"] = json!(0.5);
                p
            },
            "issues.monitor.values",
        ),
        (
            {
                let mut p = up_prefs();
                p["reservation"] = json!("high");
                p
            },
            "reservation",
        ),
        (
            {
                let mut p = up_prefs();
                p["red_lines"][0]["party"] = json!("down");
                p
            },
            "red_lines[0].party",
        ),
        (
            {
                let mut p = up_prefs();
                p["red_lines"][0]["issue"] = json!("rivers");
                p
            },
            "red_lines[0]",
        ),
        (
            {
                let mut p = up_prefs();
                p["colour"] = json!("blue");
                p
            },
            "colour",
        ),
        (
            {
                let mut p = up_prefs();
                p["reservation"] = Value::Null;
                p
            },
            "reservation",
        ),
        (json!([1, 2]), ""),
    ];
    for (body, field) in cases {
        let (status, text) = server
            .call(
                "PUT",
                &format!("/rooms/{room}/preferences"),
                Some(&up),
                Some(&body),
            )
            .await;
        assert_eq!(status.as_u16(), 400, "{body}: {text}");
        let p = problems(&text);
        if !field.is_empty() {
            assert!(
                p.iter()
                    .any(|p| p["field"].as_str().unwrap().starts_with(field)),
                "{field}: {text}"
            );
            assert!(p.iter().all(|p| p["line"] == json!(0)), "{text}");
        }
        assert!(!text.contains("internal"), "{text}");
    }
    // Red lines that leave the party nothing are refused at submission, naming no one else.
    let mut p = up_prefs();
    p["red_lines"] = json!([
        {"id": "a", "issue": "share", "at_most": 20},
        {"id": "b", "issue": "share", "at_least": 40}
    ]);
    let (status, text) = server
        .call(
            "PUT",
            &format!("/rooms/{room}/preferences"),
            Some(&up),
            Some(&p),
        )
        .await;
    assert_eq!(status.as_u16(), 400, "{text}");
    // What was saved is intact.
    let own = server
        .ok(
            "GET",
            &format!("/rooms/{room}/preferences"),
            Some(&up),
            None,
            200,
        )
        .await;
    assert_eq!(own["revision"], 1);
    assert_eq!(own["preferences"], up_prefs());
}

#[tokio::test]
async fn bad_questions_proposals_and_responses_are_400() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, mediator, up, _) = river_room(&server).await;
    for (body, field) in [
        (json!({"kind": "guess"}), "kind"),
        (json!({"kind": "propose", "concept": "median"}), "concept"),
        (json!({"kind": "compare", "from": "p1"}), "to"),
        (json!({"kind": "improve", "proposal": "p9"}), "proposal"),
    ] {
        let (status, text) = server
            .call(
                "POST",
                &format!("/rooms/{room}/queries"),
                Some(&mediator),
                Some(&body),
            )
            .await;
        assert_eq!(status.as_u16(), 400, "{body}: {text}");
        assert!(
            problems(&text).iter().any(|p| p["field"] == field),
            "{text}"
        );
    }
    for package in [
        json!({"share": 40}),
        json!({"share": 50, "monitor": "joint"}),
        json!({"share": 40, "monitor": "joint", "rivers": "x"}),
        json!({"share": [40], "monitor": "joint"}),
    ] {
        let (status, text) = server
            .call(
                "POST",
                &format!("/rooms/{room}/proposals"),
                Some(&mediator),
                Some(&json!({"label": "x", "package": package})),
            )
            .await;
        assert_eq!(status.as_u16(), 400, "{package}: {text}");
    }
    let (status, _) = server
        .call(
            "PUT",
            &format!("/rooms/{room}/proposals/p1/response"),
            Some(&up),
            Some(&json!({"response": "accept"})),
        )
        .await;
    assert_eq!(status.as_u16(), 404);
    server
        .ok(
            "POST",
            &format!("/rooms/{room}/proposals"),
            Some(&mediator),
            Some(&json!({"label": "x", "package": {"share": 40, "monitor": "joint"}})),
            201,
        )
        .await;
    for body in [
        json!({"response": "maybe"}),
        json!({"response": "prefer"}),
        json!({"response": "prefer", "over": "p1"}),
        json!({"response": "accept", "over": "p1"}),
    ] {
        let (status, text) = server
            .call(
                "PUT",
                &format!("/rooms/{room}/proposals/p1/response"),
                Some(&up),
                Some(&body),
            )
            .await;
        assert_eq!(status.as_u16(), 400, "{body}: {text}");
    }
}

#[tokio::test]
async fn an_internal_failure_is_500_with_no_detail_for_the_client() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, mediator, _, _) = river_room(&server).await;
    // Break the database behind the server's back.
    {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.url))
            .await
            .unwrap();
        sqlx::query("DROP TABLE ledger")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let (status, text) = server
        .call(
            "GET",
            &format!("/rooms/{room}/ledger"),
            Some(&mediator),
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 500, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["error"]["kind"], "internal");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("internal error (reference "));
    assert!(
        !text.contains("ledger") && !text.contains("no such table"),
        "{text}"
    );
}
