//! `simulate` and `tournament` as a library caller sees them: the defaults, the config file's
//! text laid under a caller's choices, cancellation, progress, and the error kinds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use concord_api::{
    merge_tournament, prepare_tournament, read_tournament_config, run_tournament, simulate,
    tournament, CancelToken, Control, ErrorKind, ProtocolKind, Report, ScenarioInput, SimSettings,
    SimulateRequest, TournamentRequest, TournamentSettings,
};

fn water() -> ScenarioInput {
    let path = format!(
        "{}/../../examples/water-sharing.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the examples are in the repository");
    ScenarioInput::toml("examples/water-sharing.toml", text)
}

fn request(strategies: &str) -> TournamentRequest {
    TournamentRequest {
        strategies: strategies.split(',').map(str::to_string).collect(),
        repetitions: 3,
        seed: 9,
        settings: SimSettings {
            rounds: 40,
            ..SimSettings::DEFAULT
        },
        ..TournamentRequest::DEFAULT
    }
}

/// Scenario paths always exist here.
fn exists(_: &str) -> Result<(), String> {
    Ok(())
}

#[test]
fn the_defaults_are_in_one_place() {
    assert_eq!(SimSettings::default(), SimSettings::DEFAULT);
    assert_eq!(SimulateRequest::default(), SimulateRequest::DEFAULT);
    assert_eq!(TournamentRequest::default(), TournamentRequest::DEFAULT);
    // A merge of nothing over nothing is the defaults, once the required lists are given.
    let choices = TournamentSettings {
        scenarios: vec!["a.toml".into()],
        strategies: vec!["linear".into()],
        out: Some("out".into()),
        ..TournamentSettings::default()
    };
    let setup = merge_tournament(&choices, &TournamentSettings::default()).unwrap();
    assert_eq!(
        setup.request,
        TournamentRequest {
            strategies: vec!["linear".into()],
            ..TournamentRequest::DEFAULT
        }
    );
}

#[test]
fn a_simulation_reports_its_agreement_as_text_and_json() {
    let request = SimulateRequest {
        strategies: vec!["upstream=boulware".into(), "downstream=conceder".into()],
        settings: SimSettings {
            rounds: 20,
            ..SimSettings::DEFAULT
        },
        trace: true,
        ..SimulateRequest::DEFAULT
    };
    let report = simulate(&water(), &request, &Control::default()).unwrap();
    assert!(report.agreement());
    let json = report.json();
    assert_eq!(json["schema"], "concord.simulate/1");
    assert_eq!(json["package"]["share"], "20");
    assert_eq!(json["rounds"], 17);
    assert!(report
        .text()
        .contains("Agreement in round 17 of 20 (relative time"));
}

#[test]
fn simulation_errors_have_their_kinds() {
    let run = |strategies: &[&str], settings: SimSettings| {
        let request = SimulateRequest {
            strategies: strategies.iter().map(|s| s.to_string()).collect(),
            settings,
            ..SimulateRequest::DEFAULT
        };
        simulate(&water(), &request, &Control::default()).unwrap_err()
    };
    let e = run(&["upstream=boulware"], SimSettings::DEFAULT);
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(
        e.message().starts_with("no strategy for `downstream`"),
        "{e}"
    );
    let e = run(&["nobody=linear"], SimSettings::DEFAULT);
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().contains("unknown party `nobody`"), "{e}");
    let e = run(
        &["upstream=linear", "downstream=linear"],
        SimSettings {
            rounds: 0,
            ..SimSettings::DEFAULT
        },
    );
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let e = run(
        &["upstream=linear", "downstream=linear"],
        SimSettings {
            max_outcomes: 1,
            ..SimSettings::DEFAULT
        },
    );
    assert_eq!(e.kind(), ErrorKind::Limit);
    assert!(
        e.message()
            .starts_with("cannot simulate examples/water-sharing.toml: "),
        "{e}"
    );
}

#[test]
fn a_cancelled_simulation_is_cancelled() {
    let cancel = CancelToken::new();
    cancel.cancel();
    let request = SimulateRequest {
        default_strategy: Some("linear".into()),
        ..SimulateRequest::DEFAULT
    };
    let e = simulate(&water(), &request, &Control::with_cancel(cancel)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(e.message().starts_with("interrupted in round "), "{e}");
    assert!(e.message().ends_with(" of 100"), "{e}");
}

#[test]
fn a_tournament_is_deterministic_and_reports_progress() {
    let tables = |threads: usize| {
        let done = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&done);
        let control = Control {
            progress: Some(Arc::new(move |p: concord_api::Progress<'_>| {
                assert_eq!((p.task, p.total), ("negotiating", 48));
                seen.fetch_max(p.done, Ordering::SeqCst);
            })),
            ..Control::default()
        };
        let request = TournamentRequest {
            threads: Some(threads),
            ..request("boulware,conceder,random,tit-for-tat")
        };
        let report = tournament(&[water()], &request, &control).unwrap();
        assert_eq!(done.load(Ordering::SeqCst), 48);
        assert!(!report.interrupted);
        assert_eq!(report.partial_note(), None);
        assert!(report.text().starts_with(
            "48 negotiations (1 scenario × 16 strategy assignments × 3 repetitions)\nTook "
        ));
        let [(n, rows), (s, summary)] = report.tables();
        assert_eq!((n, s), ("negotiations", "summary"));
        (rows.to_csv(), summary.to_csv())
    };
    let one = tables(1);
    assert_eq!(one, tables(2), "the thread count changed the results");
    assert_eq!(one.0.lines().count(), 1 + 48);
    assert!(one
        .0
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("water-sharing,0,"));
    assert!(one.1.contains("\nboulware,24,"), "{}", one.1);
}

#[test]
fn a_cancelled_tournament_returns_the_negotiations_it_finished() {
    let prepared = prepare_tournament(&[water()], &request("linear"), &Control::default()).unwrap();
    assert_eq!(prepared.planned(), 3);
    let cancel = CancelToken::new();
    cancel.cancel();
    let report = run_tournament(prepared, &Control::with_cancel(cancel)).unwrap();
    assert!(report.interrupted);
    assert!(report.rows.is_empty());
    assert_eq!(
        report.partial_note().unwrap(),
        "Interrupted: partial results, 0 of 3 planned negotiations finished"
    );
    assert_eq!(report.tables()[0].1.rows(), 0);
}

#[test]
fn tournament_errors_have_their_kinds() {
    let fail = |request: TournamentRequest| {
        tournament(&[water()], &request, &Control::default()).unwrap_err()
    };
    let e = fail(request("boulware,nope"));
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().contains("unknown strategy `nope`"), "{e}");
    let e = fail(TournamentRequest {
        repetitions: 0,
        ..request("linear")
    });
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let e = fail(TournamentRequest {
        max_negotiations: 2,
        ..request("linear")
    });
    assert_eq!(e.kind(), ErrorKind::Limit);
    assert_eq!(
        e.message(),
        "the tournament plans 3 negotiations, more than the limit of 2"
    );
    let e = fail(TournamentRequest {
        threads: Some(0),
        ..request("linear")
    });
    assert_eq!(e.kind(), ErrorKind::BadInput);
}

#[test]
fn a_config_text_is_laid_under_the_callers_choices() {
    let text = "scenarios = [\"water.toml\"]\nstrategies = [\"boulware\", \"random\"]\n\
                out = \"results\"\nrounds = 40\nseed = 9\nprotocol = \"single-text\"\n";
    let file = read_tournament_config("t.toml", text, &exists).unwrap();
    assert_eq!(file.scenarios, ["water.toml"]);
    assert_eq!(file.protocol, Some(ProtocolKind::SingleText));
    let choices = TournamentSettings {
        strategies: vec!["linear".into()],
        seed: Some(1),
        ..TournamentSettings::default()
    };
    let setup = merge_tournament(&choices, &file).unwrap();
    assert_eq!(setup.scenarios, ["water.toml"]);
    assert_eq!(setup.out, "results");
    assert_eq!(setup.request.strategies, ["linear"]);
    assert_eq!(setup.request.seed, 1);
    assert_eq!(setup.request.settings.rounds, 40);
    assert_eq!(setup.request.settings.protocol, ProtocolKind::SingleText);
    assert_eq!(setup.request.repetitions, 1);
}

#[test]
fn a_bad_config_is_bad_input_naming_the_config_and_its_line() {
    let bad = |text: &str| {
        let scenario = |s: &str| {
            if s == "missing.toml" {
                Err("a scenario file or folder".to_string())
            } else {
                Ok(())
            }
        };
        read_tournament_config("configs/t.toml", text, &scenario).unwrap_err()
    };
    let e = bad("scenarios = [\"missing.toml\"]\nstrategies = [\"bolware\"]\nrounds = 0\n");
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().contains("configs/t.toml:1:"), "{e}");
    assert!(e.message().contains("configs/t.toml:2:"), "{e}");
    assert!(e.message().contains("configs/t.toml:3:10: `rounds`"), "{e}");
    let e = bad("scenarios = [\n");
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().starts_with("configs/t.toml:"), "{e}");
    // Nothing names the scenarios, the strategies or where to write.
    let e = merge_tournament(
        &TournamentSettings::default(),
        &read_tournament_config("t.toml", "rounds = 10\n", &exists).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert_eq!(
        e.message(),
        "no `scenarios`, `strategies`, `out` given, in the request or in the tournament's configuration file"
    );
}

#[test]
fn a_scenario_exported_to_genius_imports_back() {
    let exported = concord_api::export_genius(&concord_api::load(&water(), false).unwrap()).files;
    assert!(exported.len() >= 3, "a domain and a profile per party");
    let imported = concord_api::import_genius("water", &exported, "water.toml").unwrap();
    assert_eq!((imported.parties, imported.issues), (2, 2));
    let back = ScenarioInput::toml("water.toml", imported.text);
    concord_api::load(&back, false).unwrap();
    // A folder without a domain is bad input naming the folder.
    let e = concord_api::import_genius("empty", &[], "out.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().starts_with("cannot import empty: "), "{e}");
}
