//! The application layer as a library caller sees it: error kinds, cancellation, progress,
//! models built in code, and the same answers whatever the input form.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use concord_api::{
    analyze, commitments, sequence, AnalyzeRequest, CancelToken, Control, ErrorKind, MethodChoice,
    Report, ScenarioInput, SequenceRequest, Settings,
};

fn example(name: &str) -> ScenarioInput {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the examples are in the repository");
    ScenarioInput::toml(format!("examples/{name}"), text)
}

/// Two parties with opposed preferences over `issues` issues of three options each.
fn opposed(issues: usize) -> ScenarioInput {
    opposed_with(issues, false)
}

/// [`opposed`], with a third party `c` (A's preferences) when `third`.
fn opposed_with(issues: usize, third: bool) -> ScenarioInput {
    let mut t = String::from(
        "[scenario]\nid = \"opposed\"\ntitle = \"Opposed\"\n\
         [[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\
         [[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    if third {
        t.push_str("[[parties]]\nid = \"c\"\nname = \"C\"\nrole = \"party\"\n");
    }
    for i in 0..issues {
        t.push_str(&format!(
            "[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [\"x\", \"y\", \"z\"]\n"
        ));
    }
    let parties = [
        ("a", [0.0, 0.4, 1.0]),
        ("b", [1.0, 0.6, 0.0]),
        ("c", [0.0, 0.4, 1.0]),
    ];
    for (party, values) in &parties[..if third { 3 } else { 2 }] {
        t.push_str(&format!("[preferences.{party}]\nreservation = 0.1\n"));
        for i in 0..issues {
            // Weights that sum to 1 exactly in decimal: the first issue takes the remainder.
            let w = if i == 0 {
                1.0 - (issues - 1) as f64 * 0.001
            } else {
                0.001
            };
            t.push_str(&format!(
                "[preferences.{party}.issues.i{i}]\nweight = {w}\nvalues = {{ x = {}, y = {}, z = {} }}\n",
                values[0], values[1], values[2]
            ));
        }
    }
    ScenarioInput::toml("opposed.toml", t)
}

#[test]
fn the_default_request_is_what_the_command_does_with_no_flags() {
    let report = analyze(
        &example("kyiv-2026.toml"),
        &AnalyzeRequest::default(),
        &Control::default(),
    )
    .unwrap();
    assert_eq!(report.json()["schema"], "concord.analysis/1");
    assert_eq!(Settings::default(), Settings::DEFAULT);
    const { assert!(Settings::DEFAULT.exact_decimals) };
    // The text and the JSON come from the same report.
    let text = report.text();
    assert!(text.contains(&report.scenario.title), "{text}");
}

#[test]
fn bad_input_names_the_input_and_is_of_kind_bad_input() {
    let input = ScenarioInput::toml("broken.toml", "[scenario]\nid = 3\n");
    let e = analyze(&input, &AnalyzeRequest::default(), &Control::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().contains("broken.toml:2"), "{e}");
}

#[test]
fn a_limit_reached_is_of_kind_limit_not_bad_input() {
    let request = AnalyzeRequest {
        settings: Settings {
            method: MethodChoice::Merge,
            max_partial_sums: 1,
            ..Settings::DEFAULT
        },
        ..AnalyzeRequest::default()
    };
    let e = analyze(&opposed(4), &request, &Control::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limit, "{e}");
    assert!(e.message().contains("opposed.toml"), "{e}");
}

#[test]
fn a_cancelled_token_gives_cancelled_never_an_answer() {
    let cancel = CancelToken::new();
    cancel.cancel();
    let control = Control::with_cancel(cancel.clone());
    // A merge that polls the token, and an enumeration small enough to finish before polling:
    // both end cancelled.
    for input in [opposed(30), opposed(2)] {
        let e = analyze(&input, &AnalyzeRequest::default(), &control).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    }
    let e = sequence(
        &example("kyiv-2026.toml"),
        &SequenceRequest::default(),
        &control,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
}

#[test]
fn cancelling_from_another_thread_stops_a_running_analysis() {
    let cancel = CancelToken::new();
    let control = Control::with_cancel(cancel.clone());
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            cancel.cancel();
        })
    };
    // 3^16 = 43 million packages, counted by enumeration (seconds), which polls the token.
    let request = AnalyzeRequest {
        settings: Settings {
            count_without_enumerating: false,
            ..Settings::DEFAULT
        },
        ..AnalyzeRequest::default()
    };
    let started = std::time::Instant::now();
    let result = analyze(&opposed(16), &request, &control);
    canceller.join().unwrap();
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}"),
        Ok(_) => panic!("an analysis cancelled at 50 ms gave an answer"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn progress_is_reported_for_a_merge() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let control = Control {
        cancel: CancelToken::new(),
        progress: Some(Arc::new(move |p: concord_api::Progress<'_>| {
            assert!(p.done <= p.total, "{p:?}");
            assert_eq!(p.task, "analysing");
            seen.fetch_add(1, Ordering::SeqCst);
        })),
        notice: None,
    };
    let report = analyze(&opposed(12), &AnalyzeRequest::default(), &control).unwrap();
    assert!(report.zone_exists());
    assert!(
        calls.load(Ordering::SeqCst) >= 12,
        "one report per issue merged"
    );
}

/// Issue 16: the merge's work is bounded before it starts, and a caller is warned at once when
/// the bound passes the budget; a merge within its budget gives no warning.
#[test]
fn a_merge_that_may_pass_its_budget_is_announced_before_it_starts() {
    let notices = |input: &ScenarioInput, budget: u64| {
        let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&seen);
        let control = Control {
            notice: Some(Arc::new(move |text: &str| {
                sink.lock().unwrap().push(text.to_string())
            })),
            ..Control::default()
        };
        let mut request = AnalyzeRequest::default();
        request.settings.method = MethodChoice::Merge;
        request.settings.max_merge_work = budget;
        let result = analyze(input, &request, &control);
        let seen = seen.lock().unwrap().clone();
        (result.is_ok(), seen)
    };
    // 3^30 packages, two parties on the exact decimal scale: the bound is small, no warning.
    let (ok, seen) = notices(&opposed(30), Settings::DEFAULT.max_merge_work);
    assert!(ok);
    assert!(seen.is_empty(), "{seen:?}");
    // The same merge with a budget below its bound: warned, with the budget.
    let (_, seen) = notices(&opposed(30), 10);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("past its budget of 10"), "{seen:?}");
    assert!(seen[0].contains("proven upper bound"), "{seen:?}");
    // Kyiv: no warning under the default settings.
    let (ok, seen) = notices(&example("kyiv-2026.toml"), Settings::DEFAULT.max_merge_work);
    assert!(ok);
    assert!(seen.is_empty(), "{seen:?}");
}

/// A count past meet in the middle's reach falls back to enumeration, which may run for days:
/// the caller is warned before it starts, and can stop it.
#[test]
fn a_count_by_enumeration_of_a_huge_space_is_announced_before_it_starts() {
    let run = |input: &ScenarioInput, count_limit: u128| {
        let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&seen);
        let cancel = CancelToken::new();
        let stop = cancel.clone();
        // Without the warning the count would run for days: stopped after a minute, it fails.
        let watchdog = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(60));
            watchdog.cancel();
        });
        let control = Control {
            cancel,
            // The caller stops the analysis on the count's warning (a merge's may come first).
            notice: Some(Arc::new(move |text: &str| {
                if text.contains("counted by enumerating") {
                    sink.lock().unwrap().push(text.to_string());
                    stop.cancel();
                }
            })),
            ..Control::default()
        };
        let mut request = AnalyzeRequest::default();
        request.settings.count_limit = count_limit;
        let result = analyze(input, &request, &control);
        let seen = seen.lock().unwrap().clone();
        (result.map(|_| ()).map_err(|e| e.kind()), seen)
    };
    // 3^30 packages: halves of 3^15, past meet in the middle's; counted only when asked.
    let (result, seen) = run(&opposed(30), 10u128.pow(15));
    assert_eq!(result, Err(ErrorKind::Cancelled));
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("2.1e14"), "{seen:?}");
    assert!(
        seen[0].contains("it needs halves of at most 1,048,576 packages"),
        "{seen:?}"
    );
    // Three reservation values: 3^23 packages split into halves of 3^11 and 3^12, past the
    // bitset half's 2^15; the warning names that limit.
    let (result, seen) = run(&opposed_with(23, true), 10u128.pow(15));
    assert_eq!(result, Err(ErrorKind::Cancelled));
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].contains("1,048,576 and 32,768 packages"),
        "{seen:?}"
    );
    // Under the default limit nothing is counted, and no count is announced.
    let (result, seen) = run(&opposed(30), Settings::DEFAULT.count_limit);
    assert_eq!(result, Ok(()));
    assert!(seen.is_empty(), "{seen:?}");
}

#[test]
fn a_model_built_in_code_is_checked_before_analysis() {
    let loaded = concord_api::load(&example("water-sharing.toml"), false).unwrap();
    let mut scenario = loaded.scenario.clone();
    // A red line on an issue that does not exist.
    if let concord_core::model::RedLineRule::Simple(r) = &mut scenario.red_lines[0].rule {
        r.issue = 99;
    } else {
        panic!("the first red line of water-sharing.toml is simple");
    }
    let input = ScenarioInput::Model {
        name: "built in code".into(),
        scenario: Box::new(scenario),
    };
    let e = analyze(&input, &AnalyzeRequest::default(), &Control::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.message().starts_with("built in code: "), "{e}");
    assert!(e.message().contains("red_lines[0]"), "{e}");
    // The unchanged model gives the same answer as its file.
    let same = ScenarioInput::Model {
        name: "built in code".into(),
        scenario: Box::new(loaded.scenario),
    };
    let a = analyze(&same, &AnalyzeRequest::default(), &Control::default()).unwrap();
    let b = analyze(
        &example("water-sharing.toml"),
        &AnalyzeRequest::default(),
        &Control::default(),
    )
    .unwrap();
    assert_eq!(a.analysis.zone_size, b.analysis.zone_size);
    assert_eq!(a.analysis.frontier.len(), b.analysis.frontier.len());
}

#[test]
fn commitments_of_a_file_without_a_ledger_is_an_empty_review() {
    let report = commitments(&example("water-sharing.toml")).unwrap();
    assert!(report.covered());
    assert_eq!(report.json()["schema"], "concord.commitments/1");
}

/// A sensitivity run split into stretches of draws, made apart and put together, is the run made
/// in one go: the same report for the same seed whatever the split (issue 12: sweeps on Ray).
#[test]
fn a_sensitivity_run_split_into_parts_is_the_whole_run() {
    use concord_api::{
        analyze_parts, load, sensitivity_part, RedLineSelection, SensitivityRequest, WhatIfFlags,
    };
    let loaded = load(&example("kyiv-2026.toml"), false).unwrap();
    // With the stated red lines only, some draws have a zone and some not, and the concepts'
    // choices differ between draws: counts a wrong merge would change.
    let request = AnalyzeRequest {
        settings: Settings {
            red_lines: RedLineSelection::Stated,
            ..Settings::default()
        },
        sensitivity: Some(SensitivityRequest {
            samples: 40,
            seed: 7,
        }),
        what_if: WhatIfFlags {
            set_reservation: vec!["russia=0.3".into()],
            ..WhatIfFlags::default()
        },
    };
    let control = Control::default();
    let whole = concord_api::analyze_loaded(&loaded, &request, &control).unwrap();
    let part = |a: usize, b: usize| sensitivity_part(&loaded, &request, a..b, &control).unwrap();
    let splits: [&[usize]; 4] = [&[0, 40], &[0, 20, 40], &[0, 13, 27, 40], &[0, 0, 1, 39, 40]];
    for bounds in splits {
        let mut parts: Vec<_> = bounds.windows(2).map(|w| part(w[0], w[1])).collect();
        // In any order: the driver may receive them as they finish.
        parts.reverse();
        let merged = analyze_parts(&loaded, &request, parts, &control).unwrap();
        assert_eq!(merged.json(), whole.json(), "split at {bounds:?}");
        assert_eq!(merged.sensitivity, whole.sensitivity, "split at {bounds:?}");
    }
    let s = whole.sensitivity.as_ref().unwrap();
    assert_eq!(s.samples, 40);
    assert!(s.ranged_numbers > 0, "the Kyiv example carries ranges");
    assert!(0 < s.zone_exists && s.zone_exists < 40, "{s:?}");
    assert!(s.concepts.iter().any(|c| c.frequencies.len() > 1), "{s:?}");
    // Draws missing, twice, or outside the run are refused, never summarised.
    let gap = analyze_parts(&loaded, &request, vec![part(0, 10), part(11, 40)], &control);
    assert_eq!(gap.unwrap_err().kind(), ErrorKind::BadInput);
    let twice = analyze_parts(&loaded, &request, vec![part(0, 40), part(0, 40)], &control);
    assert_eq!(twice.unwrap_err().kind(), ErrorKind::BadInput);
    let outside = sensitivity_part(&loaded, &request, 30..41, &control);
    assert_eq!(outside.unwrap_err().kind(), ErrorKind::BadInput);
}
