//! `--count-by halves` (the default): counting by meet in the middle gives the enumeration's
//! counts, report for report.

mod common;

use std::fmt::Write as _;

use common::{fixture, run};

/// Two parties, `issues` issues of three options with values that make many sums tie.
fn scenario(issues: usize, conditional: bool) -> String {
    let mut s = String::from(
        "[scenario]\nid = \"halves\"\ntitle = \"Halves\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n[[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    for i in 0..issues {
        let _ = write!(
            s,
            "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [\"x\", \"y\", \"z\"]\n"
        );
    }
    for (p, values) in [("a", ["0.0", "0.5", "1.0"]), ("b", ["1.0", "0.25", "0.0"])] {
        let _ = write!(s, "\n[preferences.{p}]\nreservation = 0.4\n");
        for i in 0..issues {
            let w = if i == 0 {
                0.3
            } else {
                0.7 / (issues - 1) as f64
            };
            let _ = writeln!(
                s,
                "issues.i{i} = {{ weight = {w}, values = {{ x = {}, y = {}, z = {} }} }}",
                values[0], values[1], values[2]
            );
        }
    }
    if conditional {
        s.push_str("\n[[red_lines]]\nid = \"a-cond\"\nparty = \"a\"\nif = { issue = \"i0\", is = [\"x\"] }\nthen = { issue = \"i9\", must_not_be = [\"z\"] }\n");
    }
    s
}

#[test]
fn meet_in_the_middle_counts_as_enumeration_does() {
    for conditional in [false, true] {
        let file = fixture(
            &format!("halves-{conditional}.toml"),
            &scenario(10, conditional),
        );
        let file = file.to_str().unwrap();
        let (code, enumerated, stderr) =
            run(&["analyze", file, "--json", "--count-by", "enumerate"]);
        assert!(code == 0 || code == 1, "{stderr}");
        let (code2, halves, _) = run(&["analyze", file, "--json"]);
        assert_eq!(code, code2);
        // The reports differ only in saying how the zone was counted.
        let parse = |json: &str| -> (serde_json::Value, serde_json::Value) {
            let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
            let by = v["zone_counted_by"].take();
            (v, by)
        };
        let (enumerated, by_enumeration) = parse(&enumerated);
        let (halves, by_halves) = parse(&halves);
        assert_eq!(enumerated, halves);
        assert_eq!(by_enumeration, "enumeration");
        assert_eq!(by_halves, "meet in the middle");
        let (_, text, _) = run(&["analyze", file]);
        assert!(text.contains("by meet in the middle"), "{text}");
        let (_, text, _) = run(&["analyze", file, "--count-by", "enumerate"]);
        assert!(text.contains("counted by enumeration"), "{text}");
    }
}
