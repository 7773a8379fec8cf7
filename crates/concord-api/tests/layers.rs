//! The layers of ARCHITECTURE.md, checked on the crate graph: each crate depends only on crates
//! of lower layers (core ← {sequence, sim, evidence} ← io ← report ← api ← {server, py} ← cli),
//! and the Python bindings and the mediation server reach Concord only through the application
//! layer. Within the io and report crates, the modules import one another without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each workspace crate and its layer, lowest first.
const LAYERS: &[(&str, u8)] = &[
    ("concord-core", 0),
    ("concord-sequence", 1),
    ("concord-sim", 1),
    ("concord-evidence", 1),
    ("concord-io", 2),
    ("concord-report", 3),
    ("concord-api", 4),
    ("concord-server", 5),
    ("concord-py", 5),
    ("concord-cli", 6),
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
                "{krate} depends on {dep}: formats belong to concord-io and concord-report"
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

/// The modules of a crate (`src/*.rs` but the crate root) and, for each, the modules of the same
/// crate its code names: `use crate::x::…`, `crate::x::…` in a path, or `x` in a group
/// `use crate::{x::…, …}`. Comments are skipped: a doc link names a module without importing it.
fn module_imports(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(
        !files.is_empty(),
        "{krate} has no modules in {}",
        src.display()
    );
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut graph = BTreeMap::new();
    for (name, text) in &files {
        let code: String = text
            .lines()
            .map(|line| match line.find("//") {
                Some(k) => &line[..k],
                None => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut named = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let mut candidates = Vec::new();
            if let Some(group) = rest.strip_prefix('{') {
                // The items of the group at its top level.
                let mut depth = 0;
                let mut start = 0;
                for (k, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            candidates.push(&group[start..k]);
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            candidates.push(&group[start..k]);
                            start = k + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                candidates.push(rest);
            }
            for c in candidates {
                let m = ident(c);
                if modules.contains(&m) && m != *name {
                    named.insert(m);
                }
            }
        }
        graph.insert(name.clone(), named);
    }
    graph
}

/// A cycle of `graph` as the modules along it, or `None`.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // Depth-first search; a module met again while on the path closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(k) = path.iter().position(|p| p == m) {
            let mut cycle = path[k..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_string(), to.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// The modules of the io and report crates import one another without a cycle, so each can be
/// read (and moved) from the bottom up: in io, `load` over `evidence` and `sequence` over
/// `scenario` over `claims` and `cite` over `located`; in report, the builders over the
/// `*_report` models over `words`.
#[test]
fn io_and_report_modules_import_each_other_without_a_cycle() {
    for krate in ["concord-io", "concord-report"] {
        let graph = module_imports(krate);
        if let Some(cycle) = find_cycle(&graph) {
            panic!(
                "{krate}: modules import each other in a cycle: {}",
                cycle.join(" → ")
            );
        }
    }
    // The parser sees imports: these are known edges.
    let io = module_imports("concord-io");
    assert!(
        io["load"].contains("evidence") && io["load"].contains("sequence"),
        "{io:?}"
    );
    assert!(io["scenario"].contains("cite"), "{io:?}");
    let report = module_imports("concord-report");
    assert!(report["schemas"].contains("draft_report"), "{report:?}");
    assert!(report["analysis_text"].contains("layout"), "{report:?}");
}
