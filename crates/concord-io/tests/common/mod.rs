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
