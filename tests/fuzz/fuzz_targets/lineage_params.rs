//! Fuzz target: `pedigree_fuzz::lineage_params` on each input (see `src/harness.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pedigree_fuzz::lineage_params(data));
