//! Every input the fuzzers ever found a problem with, and their seed inputs, replayed
//! through the same harness (`tests/fuzz/src/harness.rs`) on every test run, so a
//! fixed crash stays fixed.

#[path = "fuzz/src/harness.rs"]
mod harness;

use std::path::Path;

/// Runs `target` on every file under `tests/fuzz/{regressions,seeds}/{name}/`;
/// returns how many there were.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    let mut count = 0;
    for folder in ["regressions", "seeds"] {
        let dir = crate::util::root()
            .join("tests/fuzz")
            .join(folder)
            .join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let input = std::fs::read(&path).unwrap();
            eprintln!("replaying {}", display(&path));
            target(&input);
            count += 1;
        }
    }
    count
}

fn display(path: &Path) -> String {
    path.strip_prefix(crate::util::root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn yaml_inputs_replay_cleanly() {
    assert!(replay("yaml", harness::yaml) > 0, "no saved inputs");
}

#[test]
fn sparql_request_inputs_replay_cleanly() {
    assert!(
        replay("sparql_request", harness::sparql_request) > 0,
        "no saved inputs"
    );
}

#[test]
fn lineage_params_inputs_replay_cleanly() {
    assert!(
        replay("lineage_params", harness::lineage_params) > 0,
        "no saved inputs"
    );
}
