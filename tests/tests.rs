//! Pedigree's integration tests, built as one test binary (as ripgrep does) with one
//! module per area. Fixtures live in `tests/fixtures/`; expected outputs sit beside
//! them and are rewritten with `UPDATE_EXPECT=1 cargo test`.

mod bom;
mod bounded;
mod cli;
mod data;
mod data_version;
mod datasets;
mod fuzz_regressions;
mod hostile_data;
mod hostile_eval;
mod hostile_output;
mod http;
mod import;
mod import_hub;
mod knowledge;
mod layers;
mod live;
mod model_page;
mod obligations;
mod palette;
mod queries;
mod reliability;
mod routes;
mod search;
mod server;
mod sparql_page;
mod util;
mod validate;
mod w3c;
mod w3c_query;
mod words;
