//! Every report's schema: each committed `schemas/*.schema.json` is the one generated from the
//! report's types (and no other file sits there), and every `concord analyze --json` report of
//! the examples, the Genius scenarios, a space past 64 bits and a sensitivity run validates
//! against its schema. The CLI's `tests/schemas.rs` validates every command's output.

#[path = "../../concord-io/tests/common/mod.rs"]
mod common;

use common::{example, root, shared};
use concord_core::analysis::{analyze, AnalysisConfig, MethodChoice};
use concord_core::model::Scenario;
use concord_core::sensitivity::{sensitivity, SensitivityConfig};
use concord_io::genius::{read_genius, NamedText, Normalization};
use concord_io::scenario::{read_scenario, ReadOptions};
use concord_report::json::analysis_report;
use concord_report::schemas::report_schemas;

const SCHEMA_FILE: &str = "schemas/analysis.schema.json";

fn pretty(schema: &schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap();
    text.push('\n');
    text
}

#[test]
fn the_committed_schemas_are_generated_from_the_types() {
    let dir = root().join("schemas");
    let update = std::env::var_os("CONCORD_UPDATE_SCHEMAS").is_some();
    let schemas = report_schemas();
    let mut stale = Vec::new();
    for s in &schemas {
        let path = dir.join(s.file);
        let new = pretty(&s.schema);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &new).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != new {
            stale.push(s.file);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} in schemas/ are not the schemas generated from the reports' types; \
         regenerate them with CONCORD_UPDATE_SCHEMAS=1 cargo test -p concord-report --test analysis_schema"
    );
    // No schema of a report that no longer exists.
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            schemas.iter().any(|s| s.file == name),
            "schemas/{name} is the schema of no report"
        );
    }
    // Each schema pins its identifier: a report cannot validate against another's schema.
    for s in &schemas {
        let text = pretty(&s.schema);
        assert!(
            text.contains(&format!("\"const\": \"{}\"", s.id)),
            "{} does not pin {}",
            s.file,
            s.id
        );
    }
}

fn scenarios() -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    for name in ["kyiv-2026.toml", "minsk-2015.toml", "water-sharing.toml"] {
        let s = read_scenario(&example(name), name, &ReadOptions::default())
            .unwrap()
            .scenario;
        out.push((name.to_string(), s));
    }
    if let Some(dir) = shared("genius") {
        let mut domains: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        domains.sort();
        for domain in domains {
            let files: Vec<NamedText> = std::fs::read_dir(&domain)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
                .map(|p| NamedText {
                    name: p.file_name().unwrap().to_string_lossy().into_owned(),
                    text: std::fs::read_to_string(&p).unwrap(),
                })
                .collect();
            // Some ANAC domains are not additive, and refused with a located error.
            if let Ok(s) = read_genius(&files, Normalization::Genius) {
                out.push((domain.display().to_string(), s));
            }
        }
    }
    // 3^45 packages: past 64 bits, so sizes and indices are decimal strings.
    let mut big = out[2].1.clone();
    let template = big.issues[1].clone();
    for k in 0..43 {
        let mut issue = template.clone();
        issue.id = format!("extra-{k}");
        big.issues.push(issue);
        for p in big.preferences.iter_mut().flatten() {
            let mut ip = p.issues[1].clone();
            ip.weight.value = 0.0;
            ip.weight.range = None;
            p.issues.push(ip);
        }
    }
    out.push(("a space past 64 bits".to_string(), big));
    out
}

#[test]
fn every_report_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SCHEMA_FILE)).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid schema");
    let mut checked = 0;
    for (name, scenario) in scenarios() {
        for method in [
            MethodChoice::Auto,
            MethodChoice::Merge,
            MethodChoice::BranchAndBound,
        ] {
            let config = AnalysisConfig {
                method,
                exact_decimals: true,
                ..AnalysisConfig::default()
            };
            let Ok(analysis) = analyze(&scenario, &config) else {
                continue;
            };
            let sens = (name == "water-sharing.toml").then(|| {
                sensitivity(
                    &scenario,
                    &SensitivityConfig {
                        samples: 5,
                        seed: 1,
                        analysis: config.clone(),
                    },
                )
                .unwrap()
            });
            let report = analysis_report(&scenario, &analysis, sens.as_ref());
            let errors: Vec<String> = validator
                .iter_errors(&report)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} {method:?}: {errors:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} reports checked");
}
