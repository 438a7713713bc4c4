//! Fuzz target: `pedigree_fuzz::yaml` on each input (see `src/harness.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pedigree_fuzz::yaml(data));
