//! `data_version`: the commit of the data folder's own git work tree, found through
//! a `.git` folder or a `.git` file (`git worktree add`, submodules).

use std::path::Path;
use std::process::Command;

use pedigree::snapshot::git_commit;

/// Runs git in `dir` with a fixed identity, so commits work on any machine.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Pedigree tests",
            "-c",
            "user.email=tests@pedigree.example",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// A new repository at `dir` with one commit; returns that commit.
fn repository_with_a_commit(dir: &Path, message: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// Issue 11, bug 7: a data folder that is a linked worktree (its `.git` is a file
/// naming `.git/worktrees/<name>`, whose `commondir` holds the branches) reports its
/// own commit, not the enclosing repository's, with loose and with packed refs.
#[test]
fn issue_11_data_version_follows_a_worktree_git_file() {
    let temp = tempfile::tempdir().unwrap();
    let outer = temp.path().join("outer");
    let outer_commit = repository_with_a_commit(&outer, "outer");
    let data_repo = temp.path().join("data-repo");
    repository_with_a_commit(&data_repo, "data, first");
    git(
        &data_repo,
        &["commit", "-q", "--allow-empty", "-m", "data, second"],
    );
    let data = outer.join("graph-data");
    git(
        &data_repo,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "pinned",
            data.to_str().unwrap(),
            "HEAD~1",
        ],
    );
    let pinned = git(&data_repo, &["rev-parse", "pinned"]);
    assert!(data.join(".git").is_file());
    assert_ne!(pinned, outer_commit);
    assert_eq!(git_commit(&data).as_deref(), Some(pinned.as_str()));
    // A folder inside the worktree belongs to it too.
    std::fs::create_dir(data.join("models")).unwrap();
    assert_eq!(
        git_commit(&data.join("models")).as_deref(),
        Some(pinned.as_str())
    );
    // Branches packed into the shared dir's `packed-refs` are found there.
    git(&data_repo, &["pack-refs", "--all"]);
    assert!(!data_repo.join(".git/refs/heads/pinned").exists());
    assert_eq!(git_commit(&data).as_deref(), Some(pinned.as_str()));
    // The enclosing repository still reports its own commit.
    assert_eq!(git_commit(&outer).as_deref(), Some(outer_commit.as_str()));
}

/// Issue 11, bug 7: a submodule-like `.git` file with a relative `gitdir:` pointing
/// at a complete git dir (as `.git/modules/<name>` is) reports that git dir's commit.
#[test]
fn issue_11_data_version_follows_a_submodule_git_file() {
    let temp = tempfile::tempdir().unwrap();
    let outer = temp.path().join("outer");
    let outer_commit = repository_with_a_commit(&outer, "outer");
    let module_repo = temp.path().join("module");
    let module_commit = repository_with_a_commit(&module_repo, "module");
    let data = outer.join("graph-data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join(".git"), "gitdir: ../../module/.git\n").unwrap();
    assert_ne!(module_commit, outer_commit);
    assert_eq!(git_commit(&data).as_deref(), Some(module_commit.as_str()));
}
