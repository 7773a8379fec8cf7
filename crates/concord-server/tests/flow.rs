//! A whole room played through the API, on SQLite and on PostgreSQL: the answers are the
//! application layer's answers on the whole scenario, the agreement is declared only when every
//! secret acceptance meets, and the exported audit chain verifies.

mod common;

use common::*;
use concord_api::{analyze, AnalyzeRequest, Control, ScenarioInput};
use concord_server::audit::verify;
use serde_json::json;

#[tokio::test]
async fn a_room_on_the_kyiv_example_answers_as_the_whole_file_does() {
    let text = std::fs::read_to_string(root().join("examples/kyiv-2026.toml")).unwrap();
    let whole = analyze(
        &ScenarioInput::toml("kyiv-2026.toml", text.clone()),
        &AnalyzeRequest::default(),
        &Control::default(),
    )
    .unwrap()
    .model();
    for db in backends() {
        let server = Server::new(&db).await;
        let created = server
            .ok(
                "POST",
                "/rooms",
                None,
                Some(&json!({"scenario": text})),
                201,
            )
            .await;
        let room = created["room"].as_str().unwrap();
        let mediator = created["mediator_token"].as_str().unwrap();
        assert_eq!(
            created["dropped"]["preferences"],
            json!(["ukraine", "russia", "united_states"]),
            "{}",
            db.name
        );
        assert!(created["dropped"]["red_lines"].as_u64().unwrap() > 0);
        // Before every delegation whose consent is needed has submitted, nothing is answered.
        let (status, body) = server
            .call(
                "POST",
                &format!("/rooms/{room}/queries"),
                Some(mediator),
                Some(&json!({"kind": "zone"})),
            )
            .await;
        assert_eq!(status.as_u16(), 409, "{body}");
        for party in &whole.consenting {
            let inv = server
                .ok(
                    "POST",
                    &format!("/rooms/{room}/invitations"),
                    Some(mediator),
                    Some(&json!({"role": "delegation", "party": party})),
                    201,
                )
                .await;
            let token = inv["token"].as_str().unwrap();
            let saved = server
                .ok(
                    "PUT",
                    &format!("/rooms/{room}/preferences"),
                    Some(token),
                    Some(&submission_from(&text, party)),
                    200,
                )
                .await;
            assert_eq!(saved["revision"], 1);
        }
        let zone = server
            .ok(
                "POST",
                &format!("/rooms/{room}/queries"),
                Some(mediator),
                Some(&json!({"kind": "zone"})),
                200,
            )
            .await;
        assert_eq!(
            zone["answer"]["zone_exists"],
            json!(whole.zone.exists),
            "{}",
            db.name
        );
        if whole.zone.exists {
            for concept in ["nash", "egalitarian", "kalai-smorodinsky", "utilitarian"] {
                let ans = server
                    .ok(
                        "POST",
                        &format!("/rooms/{room}/queries"),
                        Some(mediator),
                        Some(&json!({"kind": "propose", "concept": concept})),
                        200,
                    )
                    .await;
                let expected = whole
                    .solutions
                    .iter()
                    .find(|s| s.concept == concept)
                    .unwrap();
                let first = &expected.points[0].packages[0].options.0;
                for (issue, option) in first {
                    assert_eq!(ans["answer"]["package"][issue], json!(option), "{concept}");
                }
            }
        } else {
            let ans = server
                .ok(
                    "POST",
                    &format!("/rooms/{room}/queries"),
                    Some(mediator),
                    Some(&json!({"kind": "deadlock"})),
                    200,
                )
                .await;
            let no_zone = whole.no_zone.as_ref().unwrap();
            let smallest = no_zone
                .corrections
                .iter()
                .map(|c| c.constraints.len())
                .min()
                .unwrap();
            let n = ans["answer"]["red_lines"].as_u64().unwrap()
                + ans["answer"]["reservations"].as_u64().unwrap();
            assert_eq!(n as usize, smallest, "{ans}");
            // No delegation consented: no red line is named.
            assert_eq!(ans["answer"]["named_with_consent"], json!([]));
        }
        let chain = server
            .ok(
                "GET",
                &format!("/rooms/{room}/audit"),
                Some(mediator),
                None,
                200,
            )
            .await;
        let v = verify(chain.as_str().unwrap(), None);
        assert_eq!(v.findings, vec![], "{}", db.name);
    }
}

#[tokio::test]
async fn blind_acceptance_declares_an_agreement_only_when_every_acceptance_meets() {
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
        let nash = server
            .ok(
                "POST",
                &format!("/rooms/{room}/queries"),
                Some(&mediator),
                Some(&json!({"kind": "propose"})),
                200,
            )
            .await;
        assert_eq!(nash["answer"]["zone_exists"], json!(true), "{nash}");
        let p1 = server
            .ok(
                "POST",
                &format!("/rooms/{room}/proposals"),
                Some(&mediator),
                Some(&json!({"label": "Nash", "package": nash["answer"]["package"]})),
                201,
            )
            .await;
        assert_eq!(p1["id"], "p1");
        let p2 = server
            .ok(
                "POST",
                &format!("/rooms/{room}/proposals"),
                Some(&mediator),
                Some(&json!({"label": "Alt", "package": {"share": 20, "monitor": "province"}})),
                201,
            )
            .await;
        assert_eq!(p2["id"], "p2");
        // Upstream accepts p1; downstream accepts p2: no agreement, and nobody learns either.
        let r = server
            .ok(
                "PUT",
                &format!("/rooms/{room}/proposals/p1/response"),
                Some(&up),
                Some(&json!({"response": "accept"})),
                200,
            )
            .await;
        assert_eq!(r["agreement"], json!(null));
        let r = server
            .ok(
                "PUT",
                &format!("/rooms/{room}/proposals/p2/response"),
                Some(&down),
                Some(&json!({"response": "accept"})),
                200,
            )
            .await;
        assert_eq!(r["agreement"], json!(null));
        for token in [&mediator, &observer, &down] {
            let props = server
                .ok(
                    "GET",
                    &format!("/rooms/{room}/proposals"),
                    Some(token),
                    None,
                    200,
                )
                .await;
            let text = props.to_string();
            assert!(!text.contains("\"agreed\":true"), "{text}");
            if token != &down {
                assert!(!text.contains("accept"), "a response leaked: {text}");
            }
        }
        // Downstream sees its own response and utility, not upstream's.
        let props = server
            .ok(
                "GET",
                &format!("/rooms/{room}/proposals"),
                Some(&down),
                None,
                200,
            )
            .await;
        assert_eq!(props[0]["your_response"], json!(null));
        assert_eq!(props[1]["your_response"], "accept");
        assert!(props[0]["your_utility"].as_f64().unwrap() > 0.0);
        // Downstream accepts p1 too: the agreement is declared, and public to the room.
        let r = server
            .ok(
                "PUT",
                &format!("/rooms/{room}/proposals/p1/response"),
                Some(&down),
                Some(&json!({"response": "accept"})),
                200,
            )
            .await;
        assert_eq!(r["agreement"], "p1");
        let view = server
            .ok("GET", &format!("/rooms/{room}"), Some(&observer), None, 200)
            .await;
        assert_eq!(view["agreement"], "p1");
        let ledger = server
            .ok(
                "GET",
                &format!("/rooms/{room}/ledger"),
                Some(&observer),
                None,
                200,
            )
            .await;
        assert_eq!(ledger.as_array().unwrap().len(), 1, "{ledger}");
        assert!(ledger[0]["reveals"]
            .as_str()
            .unwrap()
            .contains("agreement on `p1`"));
        // The mediator's question is in the mediator's ledger and in each delegation's.
        for token in [&mediator, &up, &down] {
            let ledger = server
                .ok(
                    "GET",
                    &format!("/rooms/{room}/ledger"),
                    Some(token),
                    None,
                    200,
                )
                .await;
            assert_eq!(ledger.as_array().unwrap().len(), 2, "{ledger}");
            assert!(ledger[0]["reveals"]
                .as_str()
                .unwrap()
                .contains("nash package"));
        }
        // Responses are closed.
        let (status, _) = server
            .call(
                "PUT",
                &format!("/rooms/{room}/proposals/p2/response"),
                Some(&up),
                Some(&json!({"response": "accept"})),
            )
            .await;
        assert_eq!(status.as_u16(), 409);
        let chain = server
            .ok("GET", &format!("/rooms/{room}/audit"), Some(&up), None, 200)
            .await;
        let chain = chain.as_str().unwrap();
        let v = verify(chain, Some(view["audit_head"].as_str().unwrap()));
        assert_eq!(v.findings, vec![], "{}", db.name);
        assert!(chain.contains("agreement.declare"));
    }
}

#[tokio::test]
async fn single_text_hill_climbing_compares_from_private_preferences_and_stated_ones() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, mediator, up, down) = river_room(&server).await;
    let mut ids = Vec::new();
    for package in [
        json!({"share": 20, "monitor": "upstream"}),
        json!({"share": 40, "monitor": "joint"}),
    ] {
        let p = server
            .ok(
                "POST",
                &format!("/rooms/{room}/proposals"),
                Some(&mediator),
                Some(&json!({"label": "t", "package": package})),
                201,
            )
            .await;
        ids.push(p["id"].as_str().unwrap().to_string());
    }
    // Utilities from the planted preferences (exact in decimals):
    // up(20, upstream) = 0.61733 + 0.38267 = 1; up(40, joint) = 0.61733*(1 - (20/60)*0.95483) + 0.38267*0.64811.
    // down(20, upstream) = 0; down(40, joint) > 0: neither improves on the other for both.
    let ans = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(&mediator),
            Some(&json!({"kind": "compare", "from": ids[0], "to": ids[1]})),
            200,
        )
        .await;
    assert_eq!(
        ans["answer"]["better_for_every_delegation"],
        json!(false),
        "{ans}"
    );
    // Piecewise-linear values between breakpoints are not short decimals: floating point.
    assert_eq!(ans["answer"]["exact"], json!(false));
    let improve = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(&mediator),
            Some(&json!({"kind": "improve", "proposal": ids[1]})),
            200,
        )
        .await;
    assert!(improve["answer"]["improvable"].is_boolean(), "{improve}");
    // Stated preferences: unanimous only when both state it.
    server
        .ok(
            "PUT",
            &format!("/rooms/{room}/proposals/{}/response", ids[1]),
            Some(&up),
            Some(&json!({"response": "prefer", "over": ids[0]})),
            200,
        )
        .await;
    let q = json!({"kind": "preferred", "from": ids[0], "to": ids[1]});
    let ans = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(&mediator),
            Some(&q),
            200,
        )
        .await;
    assert_eq!(ans["answer"]["unanimous"], json!(false));
    server
        .ok(
            "PUT",
            &format!("/rooms/{room}/proposals/{}/response", ids[1]),
            Some(&down),
            Some(&json!({"response": "prefer", "over": ids[0]})),
            200,
        )
        .await;
    let ans = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(&mediator),
            Some(&q),
            200,
        )
        .await;
    assert_eq!(ans["answer"]["unanimous"], json!(true));
}

#[tokio::test]
async fn a_deadlock_names_red_lines_only_with_consent() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let created = server
        .ok(
            "POST",
            "/rooms",
            None,
            Some(&json!({"scenario": RIVER})),
            201,
        )
        .await;
    let room = created["room"].as_str().unwrap();
    let mediator = created["mediator_token"].as_str().unwrap();
    let mut tokens = Vec::new();
    // Upstream never releases more than 20; downstream needs at least 60: no zone.
    let mut up = up_prefs();
    up["red_lines"] = json!([{"id": "up-cap", "issue": "share", "at_most": 20}]);
    let mut down = down_prefs();
    down["red_lines"] = json!([{"id": "down-floor", "issue": "share", "at_least": 60}]);
    for (party, prefs) in [("up", up), ("down", down)] {
        let t = server
            .ok(
                "POST",
                &format!("/rooms/{room}/invitations"),
                Some(mediator),
                Some(&json!({"role": "delegation", "party": party})),
                201,
            )
            .await["token"]
            .as_str()
            .unwrap()
            .to_string();
        server
            .ok(
                "PUT",
                &format!("/rooms/{room}/preferences"),
                Some(&t),
                Some(&prefs),
                200,
            )
            .await;
        tokens.push(t);
    }
    let q = json!({"kind": "deadlock"});
    let ans = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(mediator),
            Some(&q),
            200,
        )
        .await;
    assert_eq!(ans["answer"]["zone_exists"], json!(false));
    assert_eq!(ans["answer"]["red_lines"], json!(1), "{ans}");
    assert_eq!(ans["answer"]["named_with_consent"], json!([]));
    assert!(!ans.to_string().contains("up-cap") && !ans.to_string().contains("down-floor"));
    for t in &tokens {
        server
            .ok(
                "PUT",
                &format!("/rooms/{room}/consent"),
                Some(t),
                Some(&json!({"reveal_red_lines": true})),
                200,
            )
            .await;
    }
    let ans = server
        .ok(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(mediator),
            Some(&q),
            200,
        )
        .await;
    let named = ans["answer"]["named_with_consent"].to_string();
    assert!(
        named.contains("up-cap") || named.contains("down-floor"),
        "{ans}"
    );
}

#[tokio::test]
async fn revealing_questions_are_rate_limited_per_room() {
    let db = sqlite();
    let mut config = concord_server::Config::new(db.url.clone());
    config.queries_per_window = 3;
    let server = Server::with(config).await;
    let (room, mediator, _, _) = river_room(&server).await;
    let q = json!({"kind": "zone"});
    for _ in 0..3 {
        server
            .ok(
                "POST",
                &format!("/rooms/{room}/queries"),
                Some(&mediator),
                Some(&q),
                200,
            )
            .await;
    }
    let (status, body) = server
        .call(
            "POST",
            &format!("/rooms/{room}/queries"),
            Some(&mediator),
            Some(&q),
        )
        .await;
    assert_eq!(status.as_u16(), 429, "{body}");
    // Another room has its own allowance.
    let (room2, mediator2, _, _) = river_room(&server).await;
    server
        .ok(
            "POST",
            &format!("/rooms/{room2}/queries"),
            Some(&mediator2),
            Some(&q),
            200,
        )
        .await;
    // The ledger holds the three answers given, no more.
    let ledger = server
        .ok(
            "GET",
            &format!("/rooms/{room}/ledger"),
            Some(&mediator),
            None,
            200,
        )
        .await;
    assert_eq!(ledger.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn stances_are_shared_with_the_room() {
    let db = sqlite();
    let server = Server::new(&db).await;
    let (room, mediator, up, _) = river_room(&server).await;
    server
        .ok(
            "PUT",
            &format!("/rooms/{room}/framework/points/2/stance"),
            Some(&up),
            Some(&json!({"stance": "accepts"})),
            200,
        )
        .await;
    let fw = server
        .ok(
            "GET",
            &format!("/rooms/{room}/framework"),
            Some(&mediator),
            None,
            200,
        )
        .await;
    assert_eq!(fw["points"][1]["stances"]["up"], "accepts", "{fw}");
    assert_eq!(fw["points"][1]["stances"]["down"], "not-stated");
    let (status, _) = server
        .call(
            "PUT",
            &format!("/rooms/{room}/framework/points/9/stance"),
            Some(&up),
            Some(&json!({"stance": "accepts"})),
        )
        .await;
    assert_eq!(status.as_u16(), 404);
}

#[tokio::test]
async fn framework_versions_are_diffed_as_concord_diff_does() {
    for db in backends() {
        let server = Server::new(&db).await;
        let (room, mediator, up, _) = river_room(&server).await;
        let revised = RIVER.replace(
            "[[framework.points]]\nnumber = 2\ntitle = \"Monitoring\"",
            "[[framework.points]]\nnumber = 2\ntitle = \"Joint monitoring of the flow\"",
        ) + "\n[[framework.points]]\nnumber = 3\ntitle = \"Review in five years\"\n";
        let v = server
            .ok(
                "POST",
                &format!("/rooms/{room}/versions"),
                Some(&mediator),
                Some(&json!({"scenario": revised, "note": "point 3 added"})),
                201,
            )
            .await;
        assert_eq!(v["version"], 2);
        let diff = server
            .ok(
                "GET",
                &format!("/rooms/{room}/versions/1/diff/2"),
                Some(&up),
                None,
                200,
            )
            .await;
        assert_eq!(diff["schema"], "concord.diff/1", "{diff}");
        assert!(diff.to_string().contains("Review in five years"), "{diff}");
        // The room now shows the new version's framework.
        let fw = server
            .ok(
                "GET",
                &format!("/rooms/{room}/framework"),
                Some(&up),
                None,
                200,
            )
            .await;
        assert_eq!(fw["points"].as_array().unwrap().len(), 3);
        // A version that changes the issues is refused: preferences refer to them.
        let other = RIVER.replace("\"joint\", \"province\"]", "\"joint\"]");
        let (status, text) = server
            .call(
                "POST",
                &format!("/rooms/{room}/versions"),
                Some(&mediator),
                Some(&json!({"scenario": other})),
            )
            .await;
        assert_eq!(status.as_u16(), 400, "{text}");
        let (status, _) = server
            .call(
                "GET",
                &format!("/rooms/{room}/versions/1/diff/9"),
                Some(&up),
                None,
            )
            .await;
        assert_eq!(status.as_u16(), 404);
    }
}

#[tokio::test]
async fn concurrent_writes_commit_or_fail_each_on_its_own() {
    for db in backends() {
        let server = Server::new(&db).await;
        let created = server
            .ok(
                "POST",
                "/rooms",
                None,
                Some(&json!({"scenario": RIVER})),
                201,
            )
            .await;
        let room = created["room"].as_str().unwrap().to_string();
        let mediator = created["mediator_token"].as_str().unwrap().to_string();
        // Twenty invitations of one party's delegation and twenty observers, all at once: the
        // writes that fail (a second delegation) roll back alone.
        let mut calls = Vec::new();
        for k in 0..40 {
            let (server, room, mediator) = (server.clone(), room.clone(), mediator.clone());
            calls.push(tokio::spawn(async move {
                let body = if k % 2 == 0 {
                    json!({"role": "delegation", "party": "up"})
                } else {
                    json!({"role": "observer"})
                };
                server
                    .call(
                        "POST",
                        &format!("/rooms/{room}/invitations"),
                        Some(&mediator),
                        Some(&body),
                    )
                    .await
                    .0
                    .as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for c in calls {
            statuses.push(c.await.unwrap());
        }
        let delegations: Vec<u16> = statuses.iter().step_by(2).copied().collect();
        let observers: Vec<u16> = statuses.iter().skip(1).step_by(2).copied().collect();
        assert_eq!(
            delegations.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?} {}",
            db.name
        );
        assert!(
            delegations.iter().all(|s| *s == 201 || *s == 409),
            "{statuses:?}"
        );
        assert!(observers.iter().all(|s| *s == 201), "{statuses:?}");
        let chain = server
            .ok(
                "GET",
                &format!("/rooms/{room}/audit"),
                Some(&mediator),
                None,
                200,
            )
            .await;
        let chain = chain.as_str().unwrap();
        assert_eq!(chain.matches("member.invite").count(), 21, "{}", db.name);
        assert_eq!(verify(chain, None).findings, vec![]);
    }
}
