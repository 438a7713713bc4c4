//! The `pedigree` binary: parses arguments, runs one command, maps the outcome to an
//! exit code.
//!
//! Exit codes are a contract: 0 success, 1 invalid data, 2 usage, IO or internal
//! error. clap already exits with 2 on usage errors; everything else comes back from
//! [`cli::run`] as an [`ExitCode`] or an error, printed here with its cause chain.

mod cli;

use std::process::ExitCode;

// glibc's malloc was a fifth of the server's time answering small CONSTRUCTs under
// load (per-thread arenas, consolidation on free); mimalloc's thread-local free lists
// suit many short-lived allocations on many threads. See docs/benchmarks.md.
//
// `cap` counts the bytes allocated (one atomic add per allocation) so the query
// monitor can hold queries to the memory budget; it sets no limit of its own.
#[global_allocator]
static ALLOCATOR: cap::Cap<mimalloc::MiMalloc> = cap::Cap::new(mimalloc::MiMalloc, usize::MAX);

fn allocated_bytes() -> usize {
    ALLOCATOR.allocated()
}

fn main() -> ExitCode {
    pedigree::sparql::guard::set_memory_probe(allocated_bytes);
    // A panic that is caught (a handler, an evaluator bug) is reported once, on one
    // line, where it is caught; the default hook would print it (and a backtrace
    // when RUST_BACKTRACE is set) on every occurrence.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        eprintln!("pedigree: panicked{location}: {message}");
    }));
    // Commands run on a thread with the stack a large SPARQL query needs (the main
    // thread's is fixed by the OS, often 8 MiB); see `sparql::QUERY_STACK_BYTES`.
    let command = std::thread::Builder::new()
        .name("pedigree".into())
        .stack_size(pedigree::sparql::QUERY_STACK_BYTES)
        .spawn(cli::run);
    let outcome = match command {
        Ok(thread) => thread
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("internal error: the command panicked"))),
        Err(error) => Err(anyhow::Error::new(error).context("cannot start the command thread")),
    };
    match outcome {
        Ok(code) => code,
        // The reader went away (`pedigree export | head`): nothing is wrong with the
        // data or the command, so stop quietly, as other Unix tools do.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pedigree: {error:#}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
