//! Regression tests for defects found by trying Concord as a new user would and by fuzzing:
//! each test names the defect it pins.

mod common;

use std::fmt::Write as _;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{concord, example, fixture, interrupt, json, run, shared, Dir};

/// A scenario with no ranged number: sensitivity has nothing to vary.
const PLAIN: &str = r#"
[scenario]
id = "plain"
title = "Two parties, two issues"

[[parties]]
id = "a"
name = "A"
role = "party"

[[parties]]
id = "b"
name = "B"
role = "party"

[[issues]]
id = "x"
name = "X"
options = ["x1", "x2"]

[[issues]]
id = "y"
name = "Y"
options = ["y1", "y2"]

[preferences.a]
reservation = 0.2
issues.x = { weight = 0.5, values = { x1 = 1.0, x2 = 0.0 } }
issues.y = { weight = 0.5, values = { y1 = 1.0, y2 = 0.0 } }

[preferences.b]
reservation = 0.2
issues.x = { weight = 0.5, values = { x1 = 0.0, x2 = 1.0 } }
issues.y = { weight = 0.5, values = { y1 = 0.0, y2 = 1.0 } }
"#;

/// A two-party scenario of `issues` binary issues that both parties value alike: a space of
/// 2^issues packages whose frontier is one point.
fn huge(issues: usize) -> String {
    let mut s = String::from(
        "[scenario]\nid = \"huge\"\ntitle = \"Huge\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n[[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    for i in 0..issues {
        let _ = write!(
            s,
            "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [\"no\", \"yes\"]\n"
        );
    }
    // Weights that are exact in decimal: 1/issues is not, so give the first issue the rest.
    let unit = 1.0 / issues as f64;
    for p in ["a", "b"] {
        let _ = write!(s, "\n[preferences.{p}]\nreservation = 0.1\n");
        for i in 0..issues {
            let w = if i == 0 {
                1.0 - unit * (issues - 1) as f64
            } else {
                unit
            };
            let _ = writeln!(
                s,
                "issues.i{i} = {{ weight = {w}, values = {{ no = 0.0, yes = 1.0 }} }}"
            );
        }
    }
    s
}

#[test]
fn a_sequence_file_is_read_by_every_command_that_applies_to_it() {
    // `about` was an unknown key for commitments, sources check and evidence claims.
    let minsk = "examples/minsk-2015.toml".to_string();
    for args in [
        vec!["commitments", &minsk],
        vec!["sources", "check", &minsk, "--sources", "examples"],
        vec!["evidence", "claims", &minsk],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stdout.is_empty(), "{args:?} printed nothing");
    }
    // analyze says why it does not apply, rather than listing missing tables.
    let (code, _, stderr) = run(&["analyze", &minsk]);
    assert_eq!(code, 2);
    assert!(stderr.contains("sequence file"), "{stderr}");
    assert!(stderr.contains("concord sequence"), "{stderr}");
}

#[test]
fn a_broken_table_is_refused_by_every_command() {
    // A broken [[commitments]] made analyze and commitments exit 2 while sequence, diff and
    // simulate accepted the file.
    let text = example("kyiv-2026.toml");
    let broken = text.replacen("[[commitments]]", "[[commitments]]\nno_such_key = 1", 1);
    assert_ne!(broken, text, "the example has commitments");
    let file = fixture("broken.toml", &broken);
    let file = file.to_str().unwrap();
    for args in [
        vec!["analyze", file],
        vec!["sequence", file],
        vec!["diff", file],
        vec!["commitments", file],
        vec!["simulate", file],
        vec!["evidence", "claims", file],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?} accepted a broken file");
        assert!(stderr.contains("no_such_key"), "{args:?}: {stderr}");
    }
}

/// Runs `concord args` with its standard output closed after the first bytes.
fn closed_pipe(args: &[&str]) -> (i32, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(args)
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Standard error is drained beside, so that a long error cannot block the child.
    let mut err = child.stderr.take().unwrap();
    let drain = std::thread::spawn(move || {
        let mut stderr = String::new();
        let _ = err.read_to_string(&mut stderr);
        stderr
    });
    let mut first = [0u8; 1];
    let mut stdout = child.stdout.take().unwrap();
    let _ = stdout.read(&mut first);
    drop(stdout);
    let stderr = drain.join().unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    // `sequence`, `diff` and `commitments` panicked (exit 101) when their pipe closed. The
    // reports are larger than a pipe's buffer only with --json on the examples, so both forms
    // are tried.
    let kyiv = "examples/kyiv-2026.toml".to_string();
    for args in [
        vec!["sequence", &kyiv],
        vec!["sequence", &kyiv, "--json"],
        vec!["diff", &kyiv],
        vec!["diff", &kyiv, "--json"],
        vec!["commitments", &kyiv],
        vec!["commitments", &kyiv, "--json"],
        vec!["analyze", &kyiv, "--json", "--frontier"],
        vec!["evidence", "claims", &kyiv, "--json"],
    ] {
        let (code, stderr) = closed_pipe(&args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!([0, 1].contains(&code), "{args:?} exited {code}: {stderr}");
    }
}

#[test]
fn a_sources_folder_without_any_source_is_one_error() {
    // It printed one "missing" line per quote (115) and exited 1.
    let (code, stdout, stderr) = run(&[
        "sources",
        "check",
        "examples/kyiv-2026.toml",
        "--sources",
        "examples",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("holds none of the"), "{stderr}");
}

#[test]
fn a_folder_of_scenario_files_is_explained() {
    // `analyze DIR` on a folder of TOML files said "no GeniusWeb domain".
    let dir = Dir::new("tomls");
    dir.create("a.toml", PLAIN);
    let (code, _, stderr) = run(&["analyze", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("folder of 1 scenario files"), "{stderr}");
    assert!(stderr.contains("a.toml"), "{stderr}");
    assert!(stderr.contains("Genius"), "{stderr}");
}

#[test]
fn the_tournament_header_counts_assignments_and_paths_are_tidy() {
    let out = Dir::new("tournament-out");
    let (code, stdout, stderr) = run(&[
        "tournament",
        "--config",
        "examples/tournament.toml",
        "--out",
        &format!("{}/../tournament-out-tidy", out.display()),
        "--repetitions",
        "2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("50 negotiations (1 scenario × 25 strategy assignments × 2 repetitions)"),
        "{first}"
    );
    assert!(!stdout.contains("/../"), "{stdout}");
}

#[test]
fn sensitivity_with_nothing_to_vary_says_so() {
    // It reported "0 assumed numbers … standard error at most 11.2 points".
    let file = fixture("plain.toml", PLAIN);
    let (code, stdout, stderr) = run(&["analyze", file.to_str().unwrap(), "--sensitivity", "20"]);
    assert!([0, 1].contains(&code), "{stderr}");
    assert!(stdout.contains("nothing to vary"), "{stdout}");
    assert!(!stdout.contains("standard error"), "{stdout}");
}

#[test]
fn sensitivity_says_which_choices_red_lines_force() {
    // "donbas-ceded in 100% of draws" read as robustness; a red line forced it.
    let (_, stdout, _) = run(&[
        "analyze",
        "examples/kyiv-2026.toml",
        "--red-lines",
        "stated",
        "--sensitivity",
        "10",
    ]);
    let note = stdout
        .split("Forced by red lines, not a sign of robustness")
        .nth(1)
        .unwrap_or_else(|| panic!("no note: {stdout}"));
    assert!(note.contains("territory = "), "{note}");
    assert!(note.contains("russia-donbas-control"), "{note}");
}

#[test]
fn every_json_report_has_a_schema() {
    let kyiv = "examples/kyiv-2026.toml".to_string();
    let Some(reports) = shared("reports") else {
        return;
    };
    let reports = reports.to_str().unwrap();
    for (args, schema) in [
        (
            vec!["commitments", &kyiv, "--json"],
            "concord.commitments/1",
        ),
        (
            vec!["evidence", "claims", &kyiv, "--json"],
            "concord.claims/1",
        ),
        (
            vec!["evidence", "extract", reports, "--json"],
            "concord.extract/1",
        ),
        (
            vec!["evidence", "conflicts", reports, "--json"],
            "concord.conflicts/1",
        ),
    ] {
        let (_, value) = json(&args);
        assert_eq!(value["schema"], schema, "{args:?}");
    }
    // `evidence claims --json` was a bare array.
    let (_, claims) = json(&["evidence", "claims", &kyiv, "--json"]);
    assert!(claims["claims"].is_array());
}

#[test]
fn huge_spaces_have_exact_sizes_and_indices() {
    // space_size and a package's index were null past 2^128 and 2^64; the text said
    // "about 10^60.2 packages".
    let file = fixture("huge.toml", &huge(200));
    let file = file.to_str().unwrap();
    let (code, report) = json(&["analyze", file, "--json"]);
    assert_eq!(code, 0);
    let size = report["space_size"].as_str().expect("a decimal string");
    assert_eq!(size, num_pow2(200));
    let index = report["solutions"][0]["points"][0]["packages"][0]["index"]
        .as_str()
        .expect("a decimal string");
    // Every issue at `yes` (option 1): the last index, 2^200 - 1.
    assert_eq!(index, decrement(&num_pow2(200)));
    let (_, text, _) = run(&["analyze", file]);
    assert!(
        text.contains("about 1.60 × 10^60 (a 61-digit number"),
        "{text}"
    );
    // It read "AGREEMENT ZONE: packages (not counted: …) break no red line".
    assert!(!text.contains("AGREEMENT ZONE: packages"), "{text}");
    assert!(text.contains("1 distinct utility vector "), "{text}");
}

/// 2^n in decimal.
fn num_pow2(n: u32) -> String {
    let mut digits = vec![1u8];
    for _ in 0..n {
        let mut carry = 0;
        for d in digits.iter_mut() {
            let x = *d * 2 + carry;
            *d = x % 10;
            carry = x / 10;
        }
        if carry > 0 {
            digits.push(carry);
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// A positive decimal number minus one (the number does not end in 0).
fn decrement(s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    let last = b.len() - 1;
    b[last] -= 1;
    String::from_utf8(b).unwrap()
}

#[test]
fn out_of_range_numbers_are_refused_not_panicked_on() {
    let water = "examples/water-sharing.toml".to_string();
    for args in [
        // Index out of bounds in the text report.
        vec!["analyze", &water, "--list-ties", "0"],
        // Duration overflow.
        vec!["simulate", &water, "--time-limit", "1e20"],
        // Every offer is kept: 10^12 rounds would exhaust memory.
        vec!["simulate", &water, "--rounds", "1000000000000"],
        vec![
            "tournament",
            "--config",
            "examples/tournament.toml",
            "--threads",
            "100000",
        ],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let config = fixture(
        "t.toml",
        "scenarios = [\"w.toml\"]\nstrategies = [\"boulware\"]\ntime_limit = 1e20\nrounds = 9223372036854775807\n",
    );
    let (code, _, stderr) = run(&["tournament", "--config", config.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`time_limit`"), "{stderr}");
    assert!(stderr.contains("`rounds`"), "{stderr}");
}

#[test]
fn a_genius_file_with_a_byte_order_mark_gets_a_located_error() {
    // The 7 bytes EF BB BF 09 3C 41 0A panicked at located.rs: the parser's offset was counted
    // without the mark and used to slice the text with it.
    let Some(itex) = shared("genius/anac_y2010_ItexvsCypress") else {
        return;
    };
    let dir = Dir::new("bom");
    for entry in std::fs::read_dir(itex).unwrap() {
        let path = entry.unwrap().path();
        dir.create(
            path.file_name().unwrap().to_str().unwrap(),
            std::fs::read(&path).unwrap(),
        );
    }
    dir.create("zz.xml", b"\xef\xbb\xbf\t<A\n");
    let (code, _, stderr) = run(&["analyze", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("zz.xml:1:2:"), "{stderr}");
}

#[test]
fn deeply_nested_xml_is_refused() {
    // ~130,000 nested elements overflowed the stack of the recursive element search.
    let dir = Dir::new("nested");
    let n = 130_000;
    let text = format!(
        "<utility_space>{}{}</utility_space>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    dir.create("deep.xml", text);
    let (code, _, stderr) = run(&["analyze", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{}", &stderr[..stderr.len().min(400)]);
    assert!(stderr.contains("nested more than"), "{}", &stderr[..400]);
    // The error shows an excerpt of the line, not all of it.
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());
}

#[test]
fn many_errors_on_one_long_line_stay_small() {
    // A 20,000-item array of the wrong type took 4.7 GB and printed 1.8 GB: each error copied
    // its whole source line.
    let items = vec!["1"; 20_000].join(",");
    let text = format!("{PLAIN}\n[[parties]]\nid = \"c\"\nname = \"C\"\nrole = \"observer\"\naliases = [{items}]\n");
    let file = fixture("many.toml", &text);
    let started = Instant::now();
    let (code, _, stderr) = run(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.len() < 50_000, "{} bytes of errors", stderr.len());
    assert!(
        stderr.contains("more than 1000 problems"),
        "{}",
        &stderr[..300]
    );
    // Generous: the defect took 37 s; a linear reader takes well under one.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_byte_that_is_not_utf8_is_located() {
    let file = fixture("latin1.toml", "a = 1\nb = \"h\u{e9}llo\"\n");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"c = \"\xff\"\n");
    std::fs::write(&file, bytes).unwrap();
    let (code, _, stderr) = run(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("latin1.toml:3:6:"), "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
}

#[test]
fn a_device_is_not_read_as_a_scenario() {
    // `analyze /dev/zero` read until memory ran out.
    let (code, _, stderr) = run(&["analyze", "/dev/zero"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn every_help_states_the_exit_codes() {
    let (_, top, _) = run(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 10, "{top}");
    for c in &commands {
        let (code, help, _) = run(&[c, "--help"]);
        assert_eq!(code, 0, "{c}");
        for needle in [
            "Exit status:",
            "2    bad input",
            "3    internal failure",
            "130",
        ] {
            assert!(
                help.contains(needle),
                "`concord {c} --help` lacks {needle:?}"
            );
        }
    }
    let (_, analyze, _) = run(&["analyze", "--help"]);
    assert!(analyze.contains("1    the agreement zone is empty"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, script, _) = run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(script.contains("analyze"), "{shell}");
    }
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH concord 1"));
    let dir = Dir::new("man");
    let (code, _, stderr) = run(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join("concord.1").is_file());
    assert!(dir.join("concord-analyze.1").is_file());
}

/// 5 parties over `issues` issues of 10 options whose values differ by party, so that the merge's
/// layers grow large: 60 issues ran for more than 600 CPU-seconds.
fn five_parties(issues: usize) -> String {
    let mut s = String::from("[scenario]\nid = \"big\"\ntitle = \"Big\"\n");
    let parties = ["a", "b", "c", "d", "e"];
    for p in parties {
        let _ = write!(
            s,
            "\n[[parties]]\nid = \"{p}\"\nname = \"{p}\"\nrole = \"party\"\n"
        );
    }
    let options: Vec<String> = (0..10).map(|o| format!("\"o{o}\"")).collect();
    for i in 0..issues {
        let _ = write!(
            s,
            "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [{}]\n",
            options.join(", ")
        );
    }
    for (k, p) in parties.iter().enumerate() {
        let _ = write!(s, "\n[preferences.{p}]\nreservation = 0\n");
        for i in 0..issues {
            // Weights 0.02 (exact in decimal, 60 × 0.02 = 1.2: normalised below) and values
            // that differ by party so that the frontier is large.
            let values: Vec<String> = (0..10)
                .map(|o| format!("o{o} = {}", ((o * (k + 1) + i) % 10) as f64 / 10.0))
                .collect();
            let _ = writeln!(
                s,
                "issues.i{i} = {{ weight = 0.02, values = {{ {} }} }}",
                values.join(", ")
            );
        }
    }
    s
}

#[test]
fn ctrl_c_stops_a_long_analysis_with_status_130() {
    // 60 issues × 10 options × 5 parties ran for more than 600 CPU-seconds, and Ctrl-C was
    // read only by the merge and branch and bound.
    let s = five_parties(60);
    let file = fixture("big.toml", &s);
    let (code, _, _, stderr) = interrupt(
        &["analyze", file.to_str().unwrap(), "--normalize-weights"],
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let _ = concord;
}

/// How soon a phase that polls the stop flag must end after Ctrl-C: less than the 1 s grace
/// after which the handler ends a process whose phase does not poll it, so a pass shows that
/// the phase polled.
const CLEAN_STOP: Duration = Duration::from_millis(900);

#[test]
fn ctrl_c_stops_enumeration_counting_and_sensitivity_cleanly() {
    // Issue 16: `--method enumerate` on 10^8 packages, the counting phase of the default
    // method and `--sensitivity N` ran on for more than 60 s after SIGINT: only the merge and
    // the branch and bound read the stop flag.
    let file = fixture("interrupt-h26.toml", &huge(26));
    let file = file.to_str().unwrap();
    // The signal comes 0.3 s in: enumerating the 2^26 packages takes about 1.2 s on a quiet
    // machine, whatever the build, and the test must not race the end of the run.
    for args in [
        vec!["analyze", file, "--method", "enumerate"],
        // The counting phase by enumeration (the default counts this two-party space by meet in
        // the middle, in milliseconds).
        vec!["analyze", file, "--count-by", "enumerate"],
        vec![
            "analyze",
            "examples/water-sharing.toml",
            "--sensitivity",
            "10000000",
        ],
    ] {
        let (code, took, _, stderr) = interrupt(&args, Duration::from_millis(300));
        assert_eq!(code, Some(130), "{args:?}: {stderr}");
        assert!(stderr.contains("interrupted"), "{args:?}: {stderr}");
        assert!(took < CLEAN_STOP, "{args:?}: ended {took:?} after Ctrl-C");
    }
}

/// A sequence file of `n` splittable 4-day steps in one cycle of "done at least 1 day before the
/// next starts" demands (as `bench/robustness/gen_cycle.py` writes): a deadlock whose cheapest
/// way out takes the exact search many branch-and-bound nodes.
fn cycle(n: usize) -> String {
    let mut s = String::from(
        "[about]\nid = \"cycle\"\ntitle = \"A cycle of gaps\"\n\n\
         [[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n\
         [[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    for k in 0..n {
        s.push_str(&format!(
            "\n[[steps]]\nid = \"s{k}\"\nname = \"Step {k}\"\nparties = [\"a\", \"b\"]\n\
             duration = 4\nsplit = 0.5\nbasis = \"assumed\"\n"
        ));
    }
    for k in 0..n {
        let party = if k % 2 == 0 { "a" } else { "b" };
        s.push_str(&format!(
            "\n[[demands]]\nid = \"d{k}\"\nparty = \"{party}\"\nfirst = \"s{k}\"\n\
             then = \"s{}\"\nmin_gap = 1\nbasis = \"assumed\"\n",
            (k + 1) % n
        ));
    }
    s
}

#[test]
fn ctrl_c_stops_the_search_for_a_way_out_cleanly() {
    // Issue 16: the MILP searches of `sequence` did not poll the stop flag, so Ctrl-C on a
    // large deadlock ended the process only by the handler's forced exit a second later.
    let file = fixture("interrupt-cycle.toml", &cycle(30));
    let (code, took, _, stderr) = interrupt(
        &["sequence", file.to_str().unwrap()],
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("stopped before the exact search finished"),
        "{stderr}"
    );
    assert!(took < CLEAN_STOP, "ended {took:?} after Ctrl-C");
}

#[test]
fn a_tournament_stopped_by_ctrl_c_writes_what_it_finished() {
    // Issue 16: `tournament` had no Ctrl-C handling, and a stopped tournament left no results.
    let dir = Dir::new("interrupted-tournament");
    let out = dir.join("out");
    let (code, _, stdout, stderr) = interrupt(
        &[
            "tournament",
            "--scenarios",
            "examples/water-sharing.toml",
            "--strategies",
            "boulware,linear",
            "--repetitions",
            "500000",
            "--out",
            out.to_str().unwrap(),
        ],
        Duration::from_millis(2500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    // 2,000,000 negotiations start with a note (the api's notice) that says how many.
    assert!(stderr.contains("note: 2,000,000 negotiations"), "{stderr}");
    assert!(stdout.contains("Interrupted: partial results"), "{stdout}");
    // The headline counts what finished against the plan, its numbers grouped (it read
    // "8621 negotiations (1 scenario × 4 strategy assignments × 500000 repetitions)").
    let words = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            " of 2,000,000 planned negotiations (1 scenario × 4 strategy assignments × 500,000 \
             repetitions)"
        ),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("negotiations.csv")).unwrap();
    let rows = csv.lines().count() - 1;
    assert!(rows > 0 && rows < 2_000_000, "{rows} rows");
    assert!(
        stdout.contains(&format!(
            "{} of 2,000,000 planned negotiations finished",
            concord_core::number::grouped(rows as u128)
        )),
        "{stdout}"
    );
    assert!(out.join("summary.parquet").is_file());
}

#[test]
fn a_tournament_over_its_limit_names_the_limit_and_the_flag() {
    // Issue 16: the refusal read "bad parameter in strategy `tournament`".
    let dir = Dir::new("tournament-limit");
    let (code, _, stderr) = run(&[
        "tournament",
        "--scenarios",
        "examples/water-sharing.toml",
        "--strategies",
        "boulware,linear",
        "--repetitions",
        "3000000",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    // The flag named as the command line spells it, once (not again as "(max_negotiations)").
    assert!(
        stderr.trim_end().ends_with(
            "the tournament plans 12,000,000 negotiations, more than the limit of 10,000,000 \
             (raise it with --max-negotiations N)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("strategy"), "{stderr}");
}

#[test]
fn infinite_and_nan_numbers_in_value_functions_and_red_lines_are_located() {
    // Issue 16: a value-function point at x = -inf gave NaN utilities in the report, and
    // `must_not_be = [inf]` on a numeric issue meant its first option.
    let water = example("water-sharing.toml");
    for (from, to, expected) in [
        (
            "points = [[20, 1.0], [80, 0.0]]",
            "points = [[-inf, 1.0], [80, 0.0]]",
            "found an x that is not a finite number",
        ),
        (
            "points = [[20, 1.0], [80, 0.0]]",
            "points = [[20, 1.0], [nan, 0.0]]",
            "found an x that is not a finite number",
        ),
        (
            "at_most = 40",
            "must_not_be = [inf]",
            "found the number inf, expected an option of issue `share`",
        ),
    ] {
        assert!(water.contains(from));
        let file = fixture("inf-values.toml", &water.replacen(from, to, 1));
        let (code, stdout, stderr) = run(&["analyze", file.to_str().unwrap()]);
        assert_eq!(code, 2, "{to}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{to}: {stderr}");
        assert!(
            stderr.contains("inf-values.toml:"),
            "{to}: not located: {stderr}"
        );
        assert!(!stdout.contains("NaN"), "{stdout}");
    }
    // Breakpoints far apart are finite: their utilities are numbers.
    let file = fixture(
        "wide-points.toml",
        &water.replacen(
            "points = [[20, 1.0], [80, 0.0]]",
            "points = [[-1e308, 1.0], [1e308, 0.0]]",
            1,
        ),
    );
    let (code, stdout, stderr) = run(&["analyze", file.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(!stdout.contains("NaN"), "{stdout}");
}

#[test]
fn genius_numbers_out_of_range_get_located_errors() {
    // Issue 16: the Genius reader checked no ranges: weights of 1e308 printed `inf` in text and
    // `null` in JSON, and `import genius` wrote files that `analyze` then refused.
    let Some(laptop) = shared("genius/anac_y2012_LaptopC") else {
        return;
    };
    let profile = std::fs::read_to_string(laptop.join("Laptop-C-prof1.xml")).unwrap();
    let domain = std::fs::read_to_string(laptop.join("Laptop-C-domain.xml")).unwrap();
    let other = std::fs::read_to_string(laptop.join("Laptop-C-prof2.xml")).unwrap();
    let weight = profile
        .split("<weight index=\"1\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let evaluation = profile
        .split("evaluation=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    for (from, to, expected) in [
        (
            format!("<weight index=\"1\" value=\"{weight}\""),
            "<weight index=\"1\" value=\"1e308\"".to_string(),
            "`weight@value`: found \"1e308\", expected a number in [0, 1]",
        ),
        (
            format!("<weight index=\"1\" value=\"{weight}\""),
            "<weight index=\"1\" value=\"-0.5\"".to_string(),
            "expected a number in [0, 1]",
        ),
        (
            format!("evaluation=\"{evaluation}\""),
            "evaluation=\"-3\"".to_string(),
            "expected a finite number of at least 0",
        ),
        (
            "<reservation value=\"0.00\" />".to_string(),
            "<reservation value=\"7\" />".to_string(),
            "`reservation@value`: found \"7\", expected a number in [0, 1]",
        ),
    ] {
        assert!(profile.contains(&from), "{from}");
        let dir = Dir::new("genius-ranges");
        dir.create("Laptop-C-domain.xml", &domain);
        dir.create("Laptop-C-prof2.xml", &other);
        dir.create("Laptop-C-prof1.xml", profile.replacen(&from, &to, 1));
        let (code, _, stderr) = run(&["analyze", dir.to_str().unwrap()]);
        assert_eq!(code, 2, "{to}: {stderr}");
        assert!(stderr.contains(expected), "{to}: {stderr}");
        assert!(stderr.contains("Laptop-C-prof1.xml:"), "{to}: {stderr}");
        let out = dir.join("imported.toml");
        let (code, _, stderr) = run(&[
            "import",
            "genius",
            dir.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{to}: {stderr}");
        assert!(stderr.contains(expected), "{to}: {stderr}");
        assert!(!out.exists(), "{to}: import wrote a file it refused");
    }
}

/// Each frontier point's and each solution's packages, by option names, and the zone's size:
/// what an analysis answers, without the utilities (import rescales weights that do not sum to
/// 1, which moves every utility by the same factor).
fn answers(report: &serde_json::Value) -> serde_json::Value {
    let packages = |points: &serde_json::Value| -> Vec<serde_json::Value> {
        points
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                serde_json::Value::Array(
                    p["packages"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|k| k["options"].clone())
                        .collect(),
                )
            })
            .collect()
    };
    let solutions: Vec<serde_json::Value> = report["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| serde_json::json!([s["concept"], packages(&s["points"])]))
        .collect();
    serde_json::json!({
        "zone": report["zone"]["size"],
        "frontier_size": report["frontier"]["size"],
        "frontier": packages(&report["frontier"]["points"]),
        "solutions": solutions,
    })
}

#[test]
fn every_shared_genius_folder_imports_to_a_file_analyze_accepts_with_the_same_answers() {
    // Issue 16: `import genius` wrote files that `analyze` then refused. Import must either
    // write a file that analyze accepts, with the same answers as the folder, or refuse with a
    // located error (file:line:column).
    let Some(genius) = shared("genius") else {
        return;
    };
    let mut folders: Vec<_> = std::fs::read_dir(&genius)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 10, "{folders:?}");
    let dir = Dir::new("import-every-folder");
    let mut imported = 0;
    for folder in &folders {
        let name = folder.file_name().unwrap().to_str().unwrap();
        let out = dir.join(format!("{name}.toml"));
        let (code, _, stderr) = run(&[
            "import",
            "genius",
            folder.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        if code != 0 {
            assert_eq!(code, 2, "{name}: {stderr}");
            assert!(!out.exists(), "{name}: refused, but wrote a file");
            // A located error: file:line:column.
            let located = stderr.lines().any(|l| {
                let mut parts = l.split(':');
                parts
                    .next()
                    .is_some_and(|f| f.ends_with(".xml") || f.ends_with(".json"))
                    && parts.next().is_some_and(|n| n.parse::<usize>().is_ok())
                    && parts.next().is_some_and(|n| n.parse::<usize>().is_ok())
            });
            assert!(located, "{name}: refused without a location: {stderr}");
            continue;
        }
        imported += 1;
        let (code_folder, direct) =
            json(&["analyze", folder.to_str().unwrap(), "--json", "--frontier"]);
        let (code_file, from_file) =
            json(&["analyze", out.to_str().unwrap(), "--json", "--frontier"]);
        assert!(code_folder <= 1, "{name}: the folder's analysis failed");
        assert_eq!(code_file, code_folder, "{name}");
        assert_eq!(answers(&from_file), answers(&direct), "{name}");
    }
    assert!(imported >= 9, "only {imported} folders imported");
}

#[test]
fn links_that_lead_nowhere_and_pipes_in_a_genius_folder_are_reported() {
    // Issue 16: symlink loops, dangling links and FIFOs in a Genius folder were skipped
    // silently, so a profile could drop out of the analysis unnoticed.
    let Some(laptop) = shared("genius/anac_y2012_LaptopC") else {
        return;
    };
    for (case, expected) in [
        ("dangling", "a symbolic link that leads to no file"),
        ("loop", "a symbolic link that leads to no file"),
        ("fifo", "not a regular file"),
    ] {
        let dir = Dir::new("genius-odd-entries");
        for f in [
            "Laptop-C-domain.xml",
            "Laptop-C-prof1.xml",
            "Laptop-C-prof2.xml",
        ] {
            dir.create(f, std::fs::read(laptop.join(f)).unwrap());
        }
        let odd = dir.join("Laptop-C-prof3.xml");
        match case {
            "dangling" => std::os::unix::fs::symlink(dir.join("missing.xml"), &odd).unwrap(),
            "loop" => std::os::unix::fs::symlink(&odd, &odd).unwrap(),
            _ => assert!(std::process::Command::new("mkfifo")
                .arg(&odd)
                .status()
                .unwrap()
                .success()),
        }
        let (code, _, stderr) = run(&["analyze", dir.to_str().unwrap()]);
        assert_eq!(code, 2, "{case}: {stderr}");
        assert!(stderr.contains("Laptop-C-prof3.xml"), "{case}: {stderr}");
        assert!(stderr.contains(expected), "{case}: {stderr}");
    }
}

#[test]
fn reports_over_the_size_limit_are_refused_with_the_flag_that_raises_it() {
    // Issue 16: `evidence extract` on a 50 MB report took 210 CPU-seconds with no progress.
    let paragraph = "Kyiv, 12 March 2026. The delegations met for three hours, a spokesman said.\n";
    let big = Dir::new("big-reports");
    big.create("a.txt", paragraph.repeat(40_000));
    let small = Dir::new("small-reports");
    small.create("a.txt", paragraph.repeat(50));
    small.create("b.txt", paragraph);
    let size = 51 * paragraph.len() as u64;
    for command in ["extract", "conflicts"] {
        let (code, _, stderr) = run(&["evidence", command, big.to_str().unwrap()]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("over the limit of 2097152"), "{stderr}");
        assert!(
            stderr.contains("(raise it with --max-report-bytes BYTES)"),
            "{stderr}"
        );
        // The limit counts every report of the folder together.
        let (code, _, stderr) = run(&[
            "evidence",
            command,
            small.to_str().unwrap(),
            "--max-report-bytes",
            &(size - 1).to_string(),
        ]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("over the limit"), "{stderr}");
        let (code, _, stderr) = run(&[
            "evidence",
            command,
            small.to_str().unwrap(),
            "--max-report-bytes",
            &size.to_string(),
        ]);
        assert_eq!(code, 0, "{stderr}");
    }
    // The server reads the same folder for its analyst views, with the same limit and flag,
    // before it listens.
    let (code, _, stderr) = run(&["serve", "--analyst", "--sources", big.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("over the limit of 2097152")
            && stderr.contains("(raise it with --max-report-bytes BYTES)"),
        "{stderr}"
    );
}

#[test]
fn a_later_merge_past_its_budget_is_warned_before_it_starts_too() {
    // Issue 16: the up-front bound covered only the zone's merge; on Kyiv with
    // `--max-merge-work 10` a later merge (of the issue map, an explanation or a relaxation)
    // stopped the analysis with no warning first.
    let (code, _, stderr) = run(&[
        "analyze",
        "examples/kyiv-2026.toml",
        "--max-merge-work",
        "10",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(
            "note: a merge after the zone's (for an explanation, the issue map or a relaxation) \
             may form up to"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("if it does, it stops there with an error"),
        "{stderr}"
    );
    assert!(stderr.contains("past its budget of 10;"), "{stderr}");
    // In a pipe, the note is prose wrapped to 80 columns, as reports are (the error after it
    // is one line, for scripts).
    let (_, _, stderr) = common::run_80(&[
        "analyze",
        "examples/kyiv-2026.toml",
        "--max-merge-work",
        "10",
    ]);
    let note: Vec<&str> = stderr
        .lines()
        .take_while(|l| !l.starts_with("error:"))
        .collect();
    assert!(note.len() > 1, "{stderr}");
    assert!(note.iter().all(|l| l.chars().count() <= 80), "{stderr}");
}

#[test]
fn a_merge_past_its_work_budget_is_warned_before_and_stops_with_the_budget_the_flag_and_the_bound()
{
    // Issue 16: 60 issues × 10 options × 5 parties neither refused nor warned: after 600
    // CPU-seconds the merge had done 15 of 60 issues and held 3 GB.
    let file = fixture("budget.toml", &five_parties(60));
    let started = Instant::now();
    let (code, _, stderr) = run(&[
        "analyze",
        file.to_str().unwrap(),
        "--normalize-weights",
        "--method",
        "merge",
        "--max-merge-work",
        "100000",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("past its budget of 100,000"), "{stderr}");
    assert!(stderr.contains("--max-merge-work"), "{stderr}");
    // The bound is given before the merge starts, as a warning, and again in the error.
    assert!(
        stderr.starts_with("note: the merge may form up to"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bounded before it started at up to"),
        "{stderr}"
    );
    assert!(stderr.contains("of 60"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(60));
    // With `auto`, the merge past its budget falls back to branch and bound, and says why.
    let file = fixture("budget-auto.toml", &huge(20));
    let (code, stdout, stderr) =
        run(&["analyze", file.to_str().unwrap(), "--max-merge-work", "10"]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(stdout.contains("--max-merge-work"), "{stdout}");
}

#[test]
fn the_sequencing_searches_have_node_limits_with_flags() {
    // Issue 16: a 40-step cycle took 116 CPU-seconds with no flag to bound it.
    let (code, _, stderr) = run(&["sequence", "examples/kyiv-2026.toml", "--max-nodes", "1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the limit is 1") && stderr.contains("raise it with --max-nodes N"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(&[
        "sequence",
        "examples/kyiv-2026.toml",
        "--max-way-out-nodes",
        "1",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("DEADLOCK"), "{stdout}");
    assert!(stderr.contains("--max-way-out-nodes N"), "{stderr}");
    let (code, _, stderr) = run(&["sequence", "examples/kyiv-2026.toml"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("--max-way-out-nodes"), "{stderr}");
}

#[test]
fn branch_and_bound_node_limit_on_an_empty_zone_is_a_result_not_an_error() {
    // Issue 11: with a low --max-nodes on an empty zone, the zone was proven empty but a search
    // of the explanation stopped at the limit, and the whole analysis exited 2. The empty zone
    // is the answer (exit 1); the explanation it could not prove is left out, saying so.
    let file = "examples/kyiv-2026.toml";
    let (code, stdout, stderr) = run(&["analyze", file, "--method", "bnb", "--max-nodes", "10"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("NO AGREEMENT ZONE"), "{stdout}");
    let flat = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("NOT PROVEN, so not shown: why the zone is empty"),
        "{stdout}"
    );
    assert!(
        flat.contains("node limit (10 nodes per search)"),
        "{stdout}"
    );
    assert!(!flat.contains("minimal conflicts"), "{stdout}");

    let (code, r) = json(&[
        "analyze",
        file,
        "--method",
        "bnb",
        "--max-nodes",
        "10",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(r["zone"]["exists"], false);
    assert!(r["no_zone"].is_null(), "{r}");
    assert_eq!(r["search"]["explanation_stopped"], true);

    // Without the limit the same analysis explains the empty zone, and says nothing stopped.
    let (code, r) = json(&["analyze", file, "--method", "bnb", "--json"]);
    assert_eq!(code, 1);
    assert!(r["no_zone"]["conflict"].is_array(), "{r}");
    assert!(r["search"].get("explanation_stopped").is_none(), "{r}");
    assert!(r["search"].get("issue_map_stopped").is_none(), "{r}");
}
