//! Fuzz target: `pedigree_fuzz::sparql_request` on each input (see `src/harness.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pedigree_fuzz::sparql_request(data));
