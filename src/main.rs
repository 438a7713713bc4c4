//! The `pedigree` binary: parses arguments, runs one command, maps the outcome to an
//! exit code.
//!
//! Exit codes are a contract: 0 success, 1 invalid data, 2 usage, IO or internal
//! error. clap already exits with 2 on usage errors; everything else comes back from
//! [`cli::run`] as an [`ExitCode`] or an error, printed here with its cause chain.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("pedigree: {error:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
