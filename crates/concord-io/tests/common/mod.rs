//! Where the tests' inputs live: the repository root, its examples, and the `../shared` folder
//! beside the repository (reports and Genius scenarios, not part of the repository).
//!
//! Each test file includes this module with `mod common;`. The CLI's test support includes this
//! same file, so both crates' tests find their inputs one way.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The text of `examples/<name>`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).expect("the example exists")
}

/// `../shared/<path>` beside the repository, or `None` (saying the test is skipped) when it is
/// absent on a developer's machine. In CI (`CI` set, as `.ci/run` does) `../shared` is always
/// there, so its absence fails the test instead of letting it pass without checking anything.
pub fn shared(path: &str) -> Option<PathBuf> {
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

/// A claims register for the water-sharing example, whose passages are in minutes.txt.
const REGISTER: &str = r#"
[[claims]]
id = "upton-caps-release"
text = "Upstream will not release more than half of the flow"
by = ["upstream"]
cite = [{ source = "minutes", quote = "Upton will not release more than half of the flow in any month", speaker = "its mayor" }]

[[claims]]
id = "downstream-asks-monitoring"
text = "Downstream asks for independent monitoring of the gauges"
by = ["downstream"]
cite = [{ source = "minutes", quote = "The downstream delegation asked for independent monitoring of the gauges." }]

[[claims]]
id = "province-offers-mediation"
text = "The province offers to mediate"
by = ["province"]
cite = [{ source = "minutes", quote = "The provincial water office offered to act as mediator.", speaker = "the province" }]
"#;

/// The water-sharing example with [`REGISTER`] appended, each `(from, to)` replaced once.
pub fn water_with_claims(edits: &[(&str, &str)]) -> String {
    let mut text = example("water-sharing.toml") + REGISTER;
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
        text = text.replacen(from, to, 1);
    }
    text
}
