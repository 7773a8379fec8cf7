//! The analyst's endpoints answer exactly what the application layer (and so the `concord`
//! command) answers, name a bad upload's line and field, and compare the reports given.

mod common;

use common::*;
use concord_api::{Control, Report, ScenarioInput};
use serde_json::json;

fn kyiv() -> String {
    std::fs::read_to_string(root().join("examples/kyiv-2026.toml")).unwrap()
}

#[tokio::test]
async fn the_analysis_is_the_application_layers() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let got = server
        .ok(
            "GET",
            "/analyst/scenarios/kyiv-2026/analysis?red_lines=stated",
            None,
            None,
            200,
        )
        .await;
    let mut request = concord_api::AnalyzeRequest::default();
    request.settings.red_lines = concord_api::RedLineSelection::Stated;
    let expected = concord_api::analyze(
        &ScenarioInput::toml("kyiv-2026.toml", kyiv()),
        &request,
        &Control::default(),
    )
    .unwrap()
    .json();
    // Both through text, as the client reads them (serde_json's default parser may round the
    // last bit of a float differently from the value serialised).
    let expected: serde_json::Value = serde_json::from_str(&expected.to_string()).unwrap();
    assert_eq!(got, expected);
    assert_eq!(got["space_size"], 218_700);

    let list = server
        .ok("GET", "/analyst/scenarios", None, None, 200)
        .await;
    let ids: Vec<&str> = list["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kyiv-2026", "water-sharing"]);
    assert_eq!(list["scenarios"][0]["has_sequencing"], true);
}

#[tokio::test]
async fn a_bad_upload_names_its_line_and_field_and_a_bad_parameter_its_name() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let bad = kyiv().replacen("role = \"party\"", "role = \"partner\"", 1);
    let (status, text) = server
        .call(
            "POST",
            "/analyst/scenarios",
            None,
            Some(&json!({"name": "mine.toml", "toml": bad})),
        )
        .await;
    assert_eq!(status.as_u16(), 400, "{text}");
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    let problem = &body["error"]["problems"][0];
    assert!(
        problem["field"].as_str().unwrap().contains("role"),
        "{text}"
    );
    assert!(problem["line"].as_u64().unwrap() > 0, "{text}");

    let (status, text) = server
        .call(
            "GET",
            "/analyst/scenarios/kyiv-2026/space?x=ukraine&y=nobody",
            None,
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 400);
    assert!(text.contains("\"field\":\"y\""), "{text}");
    let (status, _) = server
        .call("GET", "/analyst/scenarios/kyiv-2026/space", None, None)
        .await;
    assert_eq!(status.as_u16(), 400);
    let (status, text) = server
        .call("GET", "/analyst/scenarios/nothing/analysis", None, None)
        .await;
    assert_eq!(status.as_u16(), 404, "{text}");
    let (status, text) = server
        .call(
            "POST",
            "/analyst/scenarios/water-sharing/simulate",
            None,
            Some(&json!({"strategies": {"upstream": "no-such-strategy"}, "default_strategy": "boulware"})),
        )
        .await;
    assert_eq!(status.as_u16(), 400, "{text}");
}

#[tokio::test]
async fn the_conflicts_are_those_of_the_reports_given() {
    let Some(dir) = shared("reports") else {
        return;
    };
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            reports.push((name, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    reports.sort();
    let workspace = concord_server::Workspace::new(reports.clone());
    workspace.open("kyiv-2026.toml", &kyiv()).unwrap();
    let db = sqlite();
    let state = concord_server::AppState::open(concord_server::Config::new(db.url.clone()))
        .await
        .unwrap();
    let server = Server {
        app: concord_server::router_with(state.clone(), std::sync::Arc::new(workspace)),
        state,
    };
    let got = server
        .ok(
            "GET",
            "/analyst/scenarios/kyiv-2026/conflicts",
            None,
            None,
            200,
        )
        .await;
    let mut request = concord_api::EvidenceRequest::new(reports);
    request.scenario = Some(ScenarioInput::toml("kyiv-2026.toml", kyiv()));
    let expected = concord_api::conflicts(&request, &concord_api::Control::default())
        .unwrap()
        .json()
        .to_string();
    assert_eq!(
        got,
        serde_json::from_str::<serde_json::Value>(&expected).unwrap()
    );
    // Asked again, the same answer (computed once).
    let again = server
        .ok(
            "GET",
            "/analyst/scenarios/kyiv-2026/conflicts",
            None,
            None,
            200,
        )
        .await;
    assert_eq!(got, again);
    let claims = server
        .ok(
            "GET",
            "/analyst/scenarios/kyiv-2026/claims",
            None,
            None,
            200,
        )
        .await;
    assert_eq!(claims["schema"], "concord.claims/1");
}

#[tokio::test]
async fn a_room_opens_from_a_scenario_open_in_the_analyst_views_with_its_public_part_only() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let created = server
        .ok(
            "POST",
            "/rooms",
            None,
            Some(&json!({"name": "River", "analyst_scenario": "water-sharing"})),
            201,
        )
        .await;
    assert_eq!(
        created["dropped"]["preferences"],
        json!(["upstream", "downstream"])
    );
    assert_eq!(created["dropped"]["red_lines"], 2);
    let room = created["room"].as_str().unwrap();
    let token = created["mediator_token"].as_str().unwrap();
    let view = server
        .ok("GET", &format!("/rooms/{room}"), Some(token), None, 200)
        .await;
    assert_eq!(view["title"], "Two towns share a river");
    // The room holds no preferences: nobody has submitted any.
    let (status, text) = server
        .call(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(token),
            Some(&json!({"kind": "zone"})),
        )
        .await;
    assert_eq!(status.as_u16(), 409, "{text}");

    for (body, field) in [
        (json!({"analyst_scenario": "nothing"}), "analyst_scenario"),
        (
            json!({"scenario": RIVER, "analyst_scenario": "water-sharing"}),
            "scenario",
        ),
        (json!({"name": "empty"}), "scenario"),
    ] {
        let (status, text) = server.call("POST", "/rooms", None, Some(&body)).await;
        assert_eq!(status.as_u16(), 400, "{text}");
        assert!(text.contains(&format!("\"field\":\"{field}\"")), "{text}");
    }
}
