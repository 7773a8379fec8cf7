//! Fuzz target `geniusweb_json`: see `targets::geniusweb_json` and docs/fuzzing.md.
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::geniusweb_json(data));
