//! Fuzz target `genius_xml`: see `targets::genius_xml` and docs/fuzzing.md.
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::genius_xml(data));
