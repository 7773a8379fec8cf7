//! Fuzz target `tournament_config`: see `targets::tournament_config` and docs/fuzzing.md.
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::tournament_config(data));
