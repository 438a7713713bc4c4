//! A snapshot: everything a question is answered from, built in one go from its
//! sources (load + validate + build the knowledge base, read any extra RDF and the
//! canned queries, note the data's git commit), then never changed.
//!
//! The server serves one and swaps a new one in whole on reload; the CLI builds one
//! (or just a [`KnowledgeBase`]) for a single command. Nothing here knows HTTP.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::kb::{BuildError, KnowledgeBase};
use crate::queries::{CannedQuery, CatalogError};
use crate::rdf::Iris;

/// Everything a request may read: built once, never changed.
#[derive(Debug)]
pub struct Snapshot {
    pub kb: KnowledgeBase,
    pub queries: Vec<CannedQuery>,
    /// When this snapshot was built.
    pub loaded_at: SystemTime,
    /// The git commit of the data, when the data folder is in a git work tree.
    pub data_version: Option<String>,
}

impl Snapshot {
    pub fn query(&self, name: &str) -> Option<&CannedQuery> {
        self.queries.iter().find(|q| q.name == name)
    }
}

/// Everything a snapshot is built from.
#[derive(Clone, Debug)]
pub struct SnapshotSource {
    pub data: PathBuf,
    pub queries: PathBuf,
    /// Extra RDF files, as `FILE` or `FILE=GRAPH_IRI`.
    pub rdf: Vec<String>,
    /// What relative IRIs in the `rdf` files resolve against: each file's name under
    /// this IRI, or without it the file's own `file:` URL (see [`crate::kb::read_rdf`]).
    pub rdf_base: Option<String>,
    pub iris: Iris,
}

/// Why a snapshot could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("canned queries: {0}")]
    Queries(#[from] CatalogError),
}

impl SnapshotSource {
    /// Loads, validates and builds a whole snapshot. Nothing is served from it until
    /// it is complete.
    pub fn build(&self) -> Result<Snapshot, SnapshotError> {
        let mut extra = Vec::new();
        for spec in &self.rdf {
            let (file, graph) = match spec.split_once('=') {
                Some((file, graph)) => (file, Some(graph)),
                None => (spec.as_str(), None),
            };
            let quads = crate::kb::read_rdf(file.as_ref(), graph, self.rdf_base.as_deref())?;
            tracing::info!(
                file,
                graph = graph.unwrap_or("(default graph)"),
                quads = quads.len(),
                "read RDF"
            );
            extra.extend(quads);
        }
        let kb = KnowledgeBase::load_with(&self.data, self.iris.clone(), extra)?;
        let queries = if self.queries.is_dir() {
            crate::queries::load_dir(&self.queries)?
        } else {
            tracing::warn!(dir = %self.queries.display(), "no canned-query folder; /api/queries is empty");
            Vec::new()
        };
        Ok(Snapshot {
            data_version: git_commit(&self.data),
            kb,
            queries,
            loaded_at: SystemTime::now(),
        })
    }
}

/// The git commit checked out in the work tree that holds `dir`, read from `.git`
/// without running git. `None` outside a git work tree.
///
/// The nearest `.git` is the work tree's, whether it is a folder (an ordinary
/// clone) or a file `gitdir: <path>` (a linked worktree, or a submodule): skipping
/// the file would report the enclosing repository's commit instead (issue 11, bug
/// 7). `HEAD` lives in that git dir; a linked worktree's git dir also names, in
/// `commondir`, the repository's shared dir, which holds the branches and
/// `packed-refs`.
pub fn git_commit(dir: &std::path::Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let dot_git = dir
        .ancestors()
        .map(|a| a.join(".git"))
        .find(|g| g.exists())?;
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        let pointer = std::fs::read_to_string(&dot_git).ok()?;
        let target = pointer.trim().strip_prefix("gitdir:")?.trim();
        // A relative `gitdir` is relative to the folder holding the `.git` file.
        dot_git.parent()?.join(target)
    };
    let common_dir = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir.clone(),
    };
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref: ") else {
        return Some(head.to_owned());
    };
    // As git does: refs under these prefixes belong to each worktree, every other
    // ref to the shared dir.
    let per_worktree = ["refs/worktree/", "refs/bisect/", "refs/rewritten/"]
        .iter()
        .any(|prefix| reference.starts_with(prefix));
    let ref_dir = if per_worktree { &git_dir } else { &common_dir };
    if let Ok(commit) = std::fs::read_to_string(ref_dir.join(reference)) {
        return Some(commit.trim().to_owned());
    }
    let packed = std::fs::read_to_string(common_dir.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (commit, name) = line.split_once(' ')?;
        (name == reference).then(|| commit.to_owned())
    })
}
