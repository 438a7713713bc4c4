//! The limits one evaluation runs under, and the one thread that enforces them.
//!
//! Every evaluation holds a [`Guard`]. The store's reader (`sparql::dataset`) checks
//! it at every quad it reads and every value a query makes, and the answer loop at
//! every row, so a stopped evaluation ends at its next step, whatever it is doing.
//! One monitor thread per process stops a guard when its deadline passes or when the
//! process's memory grows beyond the budget; the server stops a guard when its client
//! hangs up or the server shuts down. A guard only ever goes from running to stopped,
//! and the first reason wins.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

/// How often the monitor looks at deadlines and memory.
pub const MONITOR_TICK: Duration = Duration::from_millis(10);

/// Why an evaluation was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// It ran past its time limit.
    Timeout,
    /// The process grew past the memory budget while it ran.
    Memory,
    /// It tried to make a value larger than the value limit.
    ValueTooLarge,
    /// Nobody waits for its answer any more (the client hung up, or its request
    /// passed the deadline).
    Abandoned,
    /// The server is shutting down.
    Shutdown,
}

impl StopReason {
    fn code(self) -> u8 {
        match self {
            StopReason::Timeout => 1,
            StopReason::Memory => 2,
            StopReason::ValueTooLarge => 3,
            StopReason::Abandoned => 4,
            StopReason::Shutdown => 5,
        }
    }

    fn from_code(code: u8) -> Option<StopReason> {
        Some(match code {
            1 => StopReason::Timeout,
            2 => StopReason::Memory,
            3 => StopReason::ValueTooLarge,
            4 => StopReason::Abandoned,
            5 => StopReason::Shutdown,
            _ => return None,
        })
    }
}

/// The error a guarded step returns once its guard is stopped.
#[derive(Clone, Copy, Debug, thiserror::Error)]
#[error("the evaluation was stopped ({0:?})")]
pub struct Stopped(pub StopReason);

/// A cheap handle on one evaluation's limits; clones share the state.
#[derive(Clone, Debug)]
pub struct Guard {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    reason: AtomicU8,
    finished: AtomicBool,
    deadline: Instant,
    started: Instant,
    max_value_bytes: usize,
}

impl Guard {
    /// A running guard with a deadline `timeout` from now, registered with the
    /// monitor.
    pub fn start(timeout: Duration, max_value_bytes: usize) -> Guard {
        let started = Instant::now();
        let guard = Guard {
            inner: Arc::new(Inner {
                reason: AtomicU8::new(0),
                finished: AtomicBool::new(false),
                deadline: started
                    .checked_add(timeout)
                    .unwrap_or(started + Duration::from_secs(86_400 * 365)),
                started,
                max_value_bytes,
            }),
        };
        monitor().register(&guard);
        guard
    }

    /// Stops the evaluation; the first reason given is the one reported.
    pub fn stop(&self, reason: StopReason) {
        let _ = self.inner.reason.compare_exchange(
            0,
            reason.code(),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    pub fn stopped(&self) -> Option<StopReason> {
        StopReason::from_code(self.inner.reason.load(Ordering::Relaxed))
    }

    /// `Err` once the guard is stopped: called at every step of an evaluation.
    #[inline]
    pub fn check(&self) -> Result<(), Stopped> {
        match self.inner.reason.load(Ordering::Relaxed) {
            0 => Ok(()),
            code => Err(Stopped(
                StopReason::from_code(code).unwrap_or(StopReason::Abandoned),
            )),
        }
    }

    /// The largest new value (literal or IRI, in bytes) the evaluation may make.
    pub fn max_value_bytes(&self) -> usize {
        self.inner.max_value_bytes
    }

    /// Marks the evaluation as over: the monitor no longer counts it as running.
    pub fn finish(&self) {
        self.inner.finished.store(true, Ordering::Relaxed);
    }
}

/// Stops its guard when dropped, unless the evaluation finished: held by whoever
/// waits for the answer, so an abandoned request stops its evaluation at once.
#[derive(Debug)]
pub struct StopOnDrop(pub Guard);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if !self.0.inner.finished.load(Ordering::Relaxed) {
            self.0.stop(StopReason::Abandoned);
        }
    }
}

/// Reads how many bytes the process has allocated (set by the binary, which owns
/// the global allocator).
pub type MemoryProbe = fn() -> usize;

static PROBE: OnceLock<MemoryProbe> = OnceLock::new();
/// The budget in bytes; 0 until set, meaning [`default_memory_budget`].
static BUDGET: AtomicUsize = AtomicUsize::new(0);

/// Tells the monitor how to read the process's allocated bytes. Without a probe
/// (the library used on its own) the memory budget is not enforced.
pub fn set_memory_probe(probe: MemoryProbe) {
    let _ = PROBE.set(probe);
}

/// Sets the memory budget: the most the process may grow, above what it holds when
/// no query runs, while queries run.
pub fn set_memory_budget(bytes: usize) {
    BUDGET.store(bytes.max(1), Ordering::Relaxed);
}

/// The memory budget in force: the one set, else the default.
pub fn memory_budget() -> usize {
    match BUDGET.load(Ordering::Relaxed) {
        0 => {
            let default = default_memory_budget();
            let _ = BUDGET.compare_exchange(0, default, Ordering::Relaxed, Ordering::Relaxed);
            BUDGET.load(Ordering::Relaxed)
        }
        budget => budget,
    }
}

/// Default memory budget: a quarter of the machine's memory (from `/proc/meminfo`),
/// at least 256 MiB; 2 GiB where the machine's memory cannot be read.
pub fn default_memory_budget() -> usize {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib.saturating_mul(1024))
        });
    match total {
        Some(total) => (total / 4).max(256 << 20),
        None => 2 << 30,
    }
}

/// Bytes the process has allocated now, when the binary set a probe.
pub fn allocated() -> Option<usize> {
    PROBE.get().map(|probe| probe())
}

/// Evaluations running now (started and not finished).
pub fn running() -> usize {
    monitor().live().len()
}

/// Stops every running evaluation (at shutdown).
pub fn stop_all(reason: StopReason) {
    for guard in monitor().live() {
        guard.stop(reason);
    }
}

/// The process's one monitor: the registry of running guards and its thread.
#[derive(Debug)]
struct Monitor {
    guards: Mutex<Vec<Weak<Inner>>>,
    /// Allocated bytes when no evaluation was running, last time we looked.
    baseline: AtomicUsize,
}

fn monitor() -> &'static Monitor {
    static MONITOR: OnceLock<&'static Monitor> = OnceLock::new();
    MONITOR.get_or_init(|| {
        let monitor: &'static Monitor = Box::leak(Box::new(Monitor {
            guards: Mutex::new(Vec::new()),
            baseline: AtomicUsize::new(PROBE.get().map_or(0, |probe| probe())),
        }));
        std::thread::Builder::new()
            .name("query-monitor".into())
            .spawn(move || monitor.run())
            .expect("cannot start the query monitor thread");
        monitor
    })
}

impl Monitor {
    fn register(&self, guard: &Guard) {
        let mut guards = self.guards.lock().unwrap_or_else(|e| e.into_inner());
        guards.retain(|g| {
            g.upgrade()
                .is_some_and(|g| !g.finished.load(Ordering::Relaxed))
        });
        if guards.is_empty()
            && let Some(probe) = PROBE.get()
        {
            self.baseline.store(probe(), Ordering::Relaxed);
        }
        guards.push(Arc::downgrade(&guard.inner));
    }

    /// The guards of evaluations still running, oldest first.
    fn live(&self) -> Vec<Guard> {
        let mut guards = self.guards.lock().unwrap_or_else(|e| e.into_inner());
        guards.retain(|g| {
            g.upgrade()
                .is_some_and(|g| !g.finished.load(Ordering::Relaxed))
        });
        let mut live: Vec<Guard> = guards
            .iter()
            .filter_map(Weak::upgrade)
            .map(|inner| Guard { inner })
            .collect();
        live.sort_by_key(|g| g.inner.started);
        live
    }

    fn run(&self) {
        loop {
            std::thread::sleep(MONITOR_TICK);
            let live = self.live();
            let now = Instant::now();
            for guard in &live {
                if now >= guard.inner.deadline {
                    guard.stop(StopReason::Timeout);
                }
            }
            let Some(probe) = PROBE.get() else { continue };
            let allocated = probe();
            if live.is_empty() {
                self.baseline.store(allocated, Ordering::Relaxed);
                continue;
            }
            let limit = self
                .baseline
                .load(Ordering::Relaxed)
                .saturating_add(memory_budget());
            // Over budget: stop the oldest running evaluation, the likeliest culprit,
            // and give it time to unwind before stopping another; stopping more while
            // one is still freeing its memory would punish bystanders.
            let unwinding = live.iter().any(|g| g.stopped().is_some());
            if allocated > limit && !unwinding {
                tracing::warn!(
                    allocated,
                    budget = memory_budget(),
                    "queries exceed the memory budget; stopping the oldest"
                );
                live[0].stop(StopReason::Memory);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_wins_and_deadlines_stop_guards() {
        let guard = Guard::start(Duration::from_millis(30), 10);
        assert!(guard.check().is_ok());
        let waited = Instant::now();
        while guard.check().is_ok() && waited.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(guard.stopped(), Some(StopReason::Timeout));
        guard.stop(StopReason::Memory);
        assert_eq!(guard.stopped(), Some(StopReason::Timeout));
        guard.finish();
    }

    #[test]
    fn dropping_the_waiter_stops_an_unfinished_evaluation_only() {
        let guard = Guard::start(Duration::from_secs(60), 10);
        drop(StopOnDrop(guard.clone()));
        assert_eq!(guard.stopped(), Some(StopReason::Abandoned));
        let done = Guard::start(Duration::from_secs(60), 10);
        done.finish();
        drop(StopOnDrop(done.clone()));
        assert_eq!(done.stopped(), None);
    }
}
