//! Fuzz target `analysis`: see `targets::analysis` and docs/fuzzing.md.
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::analysis(data));
