//! Every input kept in `fuzz/regressions/<target>/` (inputs that once crashed a fuzz target, see
//! docs/fuzzing.md) goes through the same function as the fuzz target, on the stable toolchain:
//! each must end in `Ok` or a located error, never a panic.

#[path = "../../../fuzz/src/targets.rs"]
mod targets;

use std::path::Path;

#[test]
fn every_kept_crash_input_is_read_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut failures = Vec::new();
    let mut seen = 0;
    for (name, target) in targets::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap();
            seen += 1;
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(seen > 0, "no input under {}", root.display());
    assert!(failures.is_empty(), "these inputs panic: {failures:#?}");
}

/// Found by `geniusweb_json`: an empty JSON file was reported at column 0 (serde_json counts the
/// last character read, and there was none).
#[test]
fn an_empty_geniusweb_file_is_located_at_line_1_column_1() {
    use concord_io::genius::{read_genius, NamedText, Normalization};
    let files = [NamedText {
        name: "domain.json".into(),
        text: String::new(),
    }];
    let err = read_genius(&files, Normalization::Genius).unwrap_err();
    assert!(err.to_string().contains("\ndomain.json:1:1: "), "{err}");
}
