//! The layers of ARCHITECTURE.md, checked on the crate graph: each crate depends only on crates
//! of lower layers (core ← {sequence, sim, evidence} ← format ← api ← {server, py} ← cli), and
//! the Python bindings and the mediation server reach Concord only through the application
//! layer.

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
    ("concord-server", 4),
    ("concord-py", 4),
    ("concord-cli", 5),
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

#[test]
fn the_server_reaches_concord_only_through_the_api() {
    assert_eq!(
        concord_dependencies("concord-server"),
        vec!["concord-api".to_string()]
    );
}

/// The crates of the model and its algorithms know nothing of files or formats: none of their
/// `[dependencies]` reads or writes one (ARCHITECTURE.md, "concord-core knows nothing of files,
/// TOML, JSON or terminals").
#[test]
fn the_algorithm_crates_depend_on_no_format_crate() {
    const FORMATS: &[&str] = &[
        "serde",
        "serde_json",
        "schemars",
        "toml_edit",
        "quick-xml",
        "parquet",
        "comfy-table",
    ];
    for krate in [
        "concord-core",
        "concord-sequence",
        "concord-sim",
        "concord-evidence",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(krate)
            .join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let deps: Vec<String> = doc
            .get("dependencies")
            .and_then(|d| d.as_table_like())
            .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default();
        for dep in deps {
            assert!(
                !FORMATS.contains(&dep.as_str()),
                "{krate} depends on {dep}: formats belong to concord-format"
            );
        }
    }
}

/// The application layer's messages name request fields, never a front end's flags: the CLI
/// adds its flags (`concord-cli` `common::with_flags`).
#[test]
fn api_messages_name_no_cli_flag() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (k, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // A flag inside a string literal: `"--x`, or ` --x` after an opening quote.
            let in_string = code.split('"').skip(1).step_by(2).any(|s| {
                s.split_whitespace().any(|w| {
                    w.starts_with("--") && w[2..].starts_with(|c: char| c.is_ascii_lowercase())
                }) || s.contains("(--")
            });
            if in_string {
                found.push(format!("src/{name}:{}: {}", k + 1, code));
            }
        }
    }
    assert!(
        found.is_empty(),
        "api messages naming CLI flags: {found:#?}"
    );
}
