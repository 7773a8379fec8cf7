//! The layers of ARCHITECTURE.md, checked on the crate graph: each crate depends only on crates
//! of lower layers (core ← {sequence, sim, evidence} ← format ← api ← {cli, py}), and the
//! Python bindings reach Concord only through the application layer.

use std::collections::BTreeMap;
use std::path::Path;

/// Each workspace crate and its layer, lowest first.
const LAYERS: &[(&str, u8)] = &[
    ("concord-core", 0),
    ("concord-sequence", 1),
    ("concord-sim", 1),
    ("concord-evidence", 1),
    ("concord-format", 2),
    ("concord-api", 3),
    ("concord-cli", 4),
    ("concord-py", 4),
];

/// The `concord-*` crates a crate's `[dependencies]` names (dev-dependencies may reach any
/// layer: tests compare layers).
fn concord_dependencies(krate: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: toml_edit::DocumentMut = text.parse().expect("a manifest is TOML");
    doc.get("dependencies")
        .and_then(|d| d.as_table_like())
        .map(|t| {
            t.iter()
                .map(|(k, _)| k.to_string())
                .filter(|k| k.starts_with("concord-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_crate_depends_only_on_lower_layers() {
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let crates_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Every crate of the workspace has a layer.
    for entry in std::fs::read_dir(&crates_dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("Cargo.toml").is_file() {
            assert!(
                layer.contains_key(name.as_str()),
                "{name} has no layer in this test and ARCHITECTURE.md"
            );
        }
    }
    for &(krate, rank) in LAYERS {
        for dep in concord_dependencies(krate) {
            let dep_rank = layer.get(dep.as_str()).copied().unwrap_or(u8::MAX);
            assert!(
                dep_rank < rank,
                "{krate} (layer {rank}) depends on {dep} (layer {dep_rank}): dependencies point down only"
            );
        }
    }
}

#[test]
fn the_python_bindings_reach_concord_only_through_the_api() {
    assert_eq!(
        concord_dependencies("concord-py"),
        vec!["concord-api".to_string()]
    );
}
