//! Test helpers: fixture trees in temporary folders, snapshot comparison, and running
//! the `pedigree` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the test's working directory under cargo).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// Compares `actual` with the snapshot file at `path`. With `UPDATE_EXPECT=1` the file
/// is rewritten instead, so a deliberate change is one command and a reviewed diff.
pub fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_EXPECT=1",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "snapshot {} differs (run with UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// A data tree in a temporary folder: the shared valid base fixture, overlaid with a
/// case's files.
#[derive(Debug)]
pub struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    /// An empty folder.
    pub fn empty() -> Tree {
        Tree {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of `tests/fixtures/base`.
    pub fn base() -> Tree {
        let tree = Tree::empty();
        copy_dir(&fixtures().join("base"), tree.path());
        tree
    }

    /// A copy of the bundled `graph-data/`.
    pub fn bundled() -> Tree {
        let tree = Tree::empty();
        copy_dir(&root().join("graph-data"), tree.path());
        tree
    }

    /// A copy of the base with `overlay`'s files copied over it.
    pub fn with_overlay(overlay: &Path) -> Tree {
        let tree = Tree::base();
        copy_dir(overlay, tree.path());
        tree
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// Replaces the tree's temporary path with `data` in `text`, so output is stable.
    pub fn scrub(&self, text: &str) -> String {
        text.replace(&self.path().display().to_string(), "data")
    }
}

/// Copies a folder by content (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs the `pedigree` binary with `args` in the repository root.
pub fn pedigree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pedigree"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the pedigree binary runs")
}

/// Runs the `pedigree` binary with `args` and environment variables set (`Some`) or
/// removed (`None`), in the repository root.
pub fn pedigree_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pedigree"));
    command.args(args).current_dir(root()).env("NO_COLOR", "1");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    command.output().expect("the pedigree binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Polls `check` until it holds; panics with `what` after `timeout`. Waiting is not
/// a timing assertion: the timeout only bounds a test that would otherwise hang.
pub fn wait_for(what: &str, timeout: std::time::Duration, mut check: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while started.elapsed() < timeout {
        if check() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

/// A server state over `kb` with no canned queries, as a test builds one for a data
/// tree of its own.
pub fn app_state(
    kb: pedigree::kb::KnowledgeBase,
    config: pedigree::server::Config,
) -> pedigree::server::AppState {
    let snapshot = pedigree::snapshot::Snapshot {
        kb,
        queries: Vec::new(),
        loaded_at: std::time::SystemTime::now(),
        data_version: None,
    };
    pedigree::server::AppState::new(snapshot, config)
}
