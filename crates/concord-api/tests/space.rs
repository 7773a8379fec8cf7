//! `space` against brute force on random scenarios: its zone count is the analysis's zone size,
//! its cells hold every package once, and its pair frontier is exactly the set of utility pairs
//! that no other package dominates for the two parties. A sample of a large space is drawn
//! from the space and says so.

use concord_api::{load, space, Control, ErrorKind, Report, ScenarioInput, SpaceRequest};
use proptest::prelude::*;

/// A scenario file: `parties` parties (the first `consenting` consenting), `options[i]` options
/// per issue, values and weights as short decimals, reservations, and "must not be" red lines.
fn scenario_toml(
    options: &[usize],
    values: &[Vec<Vec<u8>>],
    weights: &[Vec<u8>],
    reservations: &[u8],
    red_lines: &[(usize, usize, usize)],
    consenting: usize,
) -> String {
    let parties = values.len();
    let mut t = String::from("[scenario]\nid = \"random\"\ntitle = \"random\"\n");
    for p in 0..parties {
        let role = if p < consenting { "party" } else { "observer" };
        t += &format!(
            "[[parties]]\nid = \"p{p}\"\nname = \"P{p}\"\nrole = \"{role}\"\nconsent = {}\n",
            p < consenting
        );
    }
    for (i, &n) in options.iter().enumerate() {
        let ids: Vec<String> = (0..n).map(|o| format!("\"o{o}\"")).collect();
        t += &format!(
            "[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [{}]\n",
            ids.join(", ")
        );
    }
    for p in 0..parties {
        t += &format!(
            "[preferences.p{p}]\nreservation = {}\n",
            f64::from(reservations[p]) / 10.0
        );
        for (i, &n) in options.iter().enumerate() {
            let vals: Vec<String> = (0..n)
                .map(|o| format!("o{o} = {}", f64::from(values[p][i][o]) / 10.0))
                .collect();
            t += &format!(
                "[preferences.p{p}.issues.i{i}]\nweight = {}\nvalues = {{ {} }}\n",
                f64::from(weights[p][i]) / 10.0,
                vals.join(", ")
            );
        }
    }
    for (k, &(p, i, o)) in red_lines.iter().enumerate() {
        t += &format!(
            "[[red_lines]]\nid = \"r{k}\"\nparty = \"p{p}\"\nissue = \"i{i}\"\nmust_not_be = [\"o{o}\"]\nbasis = \"assumed\"\n"
        );
    }
    t
}

fn arb_case() -> impl Strategy<Value = (String, usize)> {
    (2usize..=3, prop::collection::vec(2usize..=4, 2..=4)).prop_flat_map(|(parties, options)| {
        let issues = options.len();
        let values = prop::collection::vec(
            options
                .iter()
                .map(|&n| prop::collection::vec(0u8..=10, n))
                .collect::<Vec<_>>(),
            parties,
        );
        // Tenths summing to 1: the first issues 1 to 3 tenths each, the last the rest.
        let weights = prop::collection::vec(
            prop::collection::vec(1u8..=3, issues - 1).prop_map(|mut w| {
                let rest = 10 - w.iter().sum::<u8>();
                w.push(rest);
                w
            }),
            parties,
        );
        let reservations = prop::collection::vec(0u8..=7, parties);
        let red_lines = prop::collection::vec((0..parties, 0..issues, Just(0usize)), 0..=3);
        let consenting = 2..=parties;
        (
            Just(options),
            values,
            weights,
            reservations,
            red_lines,
            consenting,
        )
            .prop_map(
                move |(options, values, weights, reservations, red_lines, consenting)| {
                    (
                        scenario_toml(
                            &options,
                            &values,
                            &weights,
                            &reservations,
                            &red_lines,
                            consenting,
                        ),
                        parties,
                    )
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]
    #[test]
    fn space_agrees_with_brute_force((text, parties) in arb_case()) {
        let loaded = load(&ScenarioInput::toml("random.toml", &text), true).unwrap();
        let (x, y) = ("p0".to_string(), format!("p{}", parties - 1));
        let report = space(&loaded, &SpaceRequest::new(&x, &y), &Control::default()).unwrap();
        let m = report.model();
        let analysis = concord_api::analyze_loaded(&loaded, &Default::default(), &Control::default()).unwrap();

        // Every package once, the zone counted as the analysis counts it.
        let total: u64 = m.cells.iter().map(|c| c.count).sum();
        prop_assert_eq!(total, m.evaluated);
        prop_assert!(!m.sampled);
        let zone: u64 = m.cells.iter().map(|c| c.zone).sum();
        prop_assert_eq!(Some(zone), analysis.analysis.zone_size);
        prop_assert_eq!(m.zone.evaluated, zone);
        prop_assert_eq!(m.zone.exists, zone > 0);

        // The pair frontier by brute force over every package's utilities to x and y.
        let packages = all_packages(&loaded);
        let values = concord_api::package_values(&loaded, &packages).unwrap();
        let kx = values.parties.iter().position(|p| *p == x).unwrap();
        let ky = values.parties.iter().position(|p| *p == y).unwrap();
        let pairs: Vec<(f64, f64)> = values.utilities.iter().map(|u| (u[kx], u[ky])).collect();
        let mut expected: Vec<(f64, f64)> = pairs
            .iter()
            .filter(|&&(a, b)| {
                !pairs.iter().any(|&(c, d)| c >= a && d >= b && (c > a || d > b))
            })
            .copied()
            .collect();
        expected.sort_by(|a, b| b.0.total_cmp(&a.0));
        expected.dedup();
        let got: Vec<(f64, f64)> = m.frontier.points.iter().map(|p| (p.x, p.y)).collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(m.frontier.size as usize, m.frontier.points.len());
    }
}

fn all_packages(loaded: &concord_api::Loaded) -> Vec<concord_api::NamedPackage> {
    let issues = &loaded.scenario.issues;
    let mut out: Vec<concord_api::NamedPackage> = vec![Vec::new()];
    for issue in issues {
        out = out
            .into_iter()
            .flat_map(|p| {
                issue.options.iter().map(move |o| {
                    let mut q = p.clone();
                    q.push((issue.id.clone(), o.id.clone()));
                    q
                })
            })
            .collect();
    }
    out
}

#[test]
fn a_space_past_the_limit_is_a_labelled_uniform_sample() {
    let text = scenario_toml(
        &[4, 4, 4, 4],
        &[vec![vec![1, 3, 5, 7]; 4], vec![vec![7, 5, 3, 1]; 4]],
        &[vec![1, 2, 3, 4], vec![4, 3, 2, 1]],
        &[3, 3],
        &[],
        2,
    );
    let loaded = load(&ScenarioInput::toml("big.toml", &text), true).unwrap();
    let mut request = SpaceRequest::new("p0", "p1");
    request.max_evaluated = 100;
    let report = space(&loaded, &request, &Control::default()).unwrap();
    let m = report.model();
    assert!(m.sampled);
    assert_eq!(m.evaluated, 100);
    assert_eq!(m.cells.iter().map(|c| c.count).sum::<u64>(), 100);
    assert!(
        m.notes[0].contains("sample of 100 of the 256 packages"),
        "{:?}",
        m.notes
    );
    // The same seed draws the same sample.
    let again = space(&loaded, &request, &Control::default()).unwrap();
    assert_eq!(report.json(), again.json());
}

#[test]
fn a_long_frontier_is_downsampled_with_both_ends_and_says_so() {
    // One issue of 50 options, opposed values: every package is on the frontier.
    let values_a: Vec<u8> = (0..50).map(|o| (o % 11) as u8).collect();
    let values_b: Vec<u8> = values_a.iter().map(|v| 10 - v).collect();
    let text = scenario_toml(
        &[50],
        &[vec![values_a], vec![values_b]],
        &[vec![10], vec![10]],
        &[0, 0],
        &[],
        2,
    );
    let loaded = load(&ScenarioInput::toml("long.toml", &text), true).unwrap();
    let mut request = SpaceRequest::new("p0", "p1");
    request.max_frontier = 4;
    let m = space(&loaded, &request, &Control::default())
        .unwrap()
        .model()
        .clone();
    assert_eq!(m.frontier.size, 11);
    assert_eq!(m.frontier.shown, 4);
    assert!(m.frontier.downsampled);
    assert_eq!((m.frontier.points[0].x, m.frontier.points[0].y), (1.0, 0.0));
    assert_eq!((m.frontier.points[3].x, m.frontier.points[3].y), (0.0, 1.0));
    assert!(m
        .notes
        .iter()
        .any(|n| n.contains("has 11 points; 4 evenly spaced")));
}

#[test]
fn an_unknown_party_names_the_request_field() {
    let loaded = load(
        &ScenarioInput::toml(
            "water.toml",
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/water-sharing.toml"
            ))
            .unwrap(),
        ),
        false,
    )
    .unwrap();
    let err = space(
        &loaded,
        &SpaceRequest::new("upstream", "nobody"),
        &Control::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadInput);
    let request = err.request().expect("a request error");
    assert_eq!(request.field, "y");
    assert!(
        request.expected.contains("upstream, downstream"),
        "{}",
        request.expected
    );
    // The Kyiv-sized answer for the water example: 12 packages, 3 in the zone.
    let m = space(
        &loaded,
        &SpaceRequest::new("upstream", "downstream"),
        &Control::default(),
    )
    .unwrap()
    .model()
    .clone();
    assert_eq!(m.evaluated, 12);
    assert_eq!(m.zone.evaluated, 3);
    assert_eq!(m.solutions.len(), 4);
}

/// Every one of 10,000 packages ties for the utilitarian solution (the two parties' utilities
/// always sum to 0.9), at 9,001 distinct points: the report counts them all and lists the first 1,000, and its text says
/// so, rather than writing every tied point into the JSON.
#[test]
fn a_solution_tied_at_many_points_lists_the_first_thousand_and_counts_them_all() {
    let mut text = String::from(
        "[scenario]\nid = \"ties\"\ntitle = \"ties\"\n\
         [[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\
         [[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    for i in 0..4 {
        text += &format!("[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [\"o0\", \"o1\", \"o2\", \"o3\", \"o4\", \"o5\", \"o6\", \"o7\", \"o8\", \"o9\"]\n");
    }
    // Weights 0.9, 0.09, 0.009, 0.001 and values the option's digit in tenths: every package
    // summing to 0.9, so that all 10,000 tie for the utilitarian solution.
    for (p, opposed) in [("a", false), ("b", true)] {
        text += &format!("[preferences.{p}]\nreservation = 0\n");
        for (i, w) in ["0.9", "0.09", "0.009", "0.001"].iter().enumerate() {
            let values: Vec<String> = (0..10)
                .map(|o| format!("o{o} = 0.{}", if opposed { 9 - o } else { o }))
                .collect();
            text += &format!(
                "[preferences.{p}.issues.i{i}]\nweight = {w}\nvalues = {{ {} }}\n",
                values.join(", ")
            );
        }
    }
    let input = ScenarioInput::toml("ties.toml", &text);
    let report = concord_api::analyze(&input, &Default::default(), &Control::default()).unwrap();
    let json = report.json();
    let utilitarian = json["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["concept"] == "utilitarian")
        .unwrap();
    // 900·d0 + 90·d1 + 9·d2 + d3 takes 9,001 values: 9,001 distinct points.
    assert_eq!(utilitarian["point_count"], 9_001);
    assert_eq!(utilitarian["points"].as_array().unwrap().len(), 1000);
    let words = report.text();
    assert!(
        words.contains("10,000 tied packages over 9,001 frontier point(s)")
            && words.contains("the first 1,000 points"),
        "{words}"
    );
}
