//! Fuzz target `scenario_toml`: see `targets::scenario_toml` and docs/fuzzing.md.
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::scenario_toml(data));
