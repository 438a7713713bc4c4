//! Hostile data trees (issue 17, findings 7, 8, 9, 10, 16 and 17): symbolic links that
//! loop or lead out of the tree, FIFOs named `*.yaml`, trees too large to walk, a
//! data folder deleted and recreated under `--watch`, exports to a full disk, and
//! reloads of tens of thousands of broken files.
//!
//! Symbolic links and FIFOs cannot be fixtures: the fixture overlay copies files by
//! content (a link would arrive as its target's text, a FIFO would block the copy),
//! and git holds no FIFOs. So each test builds its tree at run time in a temporary
//! folder, and `tests/validate.rs` counts the codes P013 to P016 as covered here.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pedigree::dataset::Checked;
use pedigree::diagnostics::{self, Code};

use crate::http::{Response, request};
use crate::util::{Tree, copy_dir, root};

/// Long enough for any of these commands on a loaded machine; reaching it means the
/// command hung (the bug), not that it was slow.
const HANG: Duration = Duration::from_secs(90);

/// What a bounded run of the binary printed, and how it exited.
#[derive(Debug)]
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `pedigree` with `args`, its stdin a pipe that stays open and silent (what a
/// reader of `/dev/stdin` would wait on for ever), and kills it if it has not exited
/// within [`HANG`]: then the test fails as hung instead of hanging itself.
fn run_bounded(args: &[&str]) -> Run {
    run_bounded_in(Command::new(env!("CARGO_BIN_EXE_pedigree")).args(args))
}

fn run_bounded_in(command: &mut Command) -> Run {
    let mut child = command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pedigree binary runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let _stdin = child.stdin.take();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pedigree {command:?} hung: killed after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Polls `check` until it holds, for at most [`HANG`].
fn wait_for(what: &str, check: impl FnMut() -> bool) {
    crate::util::wait_for(what, HANG, check)
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn codes_at(checked: &Checked, code: Code) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let path = &checked.files()[d.location.file.0 as usize].path;
            path.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect()
}

fn report(checked: &Checked) -> String {
    diagnostics::render_human(&checked.diagnostics, checked.files(), false)
}

/// A `pedigree serve` whose log (stderr) is kept for the test to read.
#[derive(Debug)]
struct LoggedServer {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<u8>>>,
}

impl LoggedServer {
    fn start(args: &[&str]) -> LoggedServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pedigree"))
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("pedigree serve starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        // Drained all along: a full pipe would block the server's logging.
        std::thread::spawn(move || {
            let mut buffer = [0u8; 64 * 1024];
            while let Ok(n) = stderr.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the server prints its address");
        let port = crate::http::port_in(&line)
            .unwrap_or_else(|| panic!("no port in {line:?}; log: {}", log_text(&log)));
        LoggedServer { child, port, log }
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path, &[], b"")
    }

    fn last_reload(&self) -> serde_json::Value {
        self.get("/api/status").json()["last_reload"].clone()
    }

    fn log(&self) -> String {
        log_text(&self.log)
    }

    fn hangup(&self) {
        let status = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn log_text(log: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&log.lock().unwrap()).into_owned()
}

impl Drop for LoggedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The number of inotify watches a process holds, from `/proc`.
fn inotify_watches(pid: u32) -> usize {
    let mut watches = 0;
    for fd in std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap() {
        let fd = fd.unwrap();
        let is_inotify = std::fs::read_link(fd.path())
            .is_ok_and(|target| target.to_string_lossy().contains("inotify"));
        if is_inotify {
            let info =
                std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().display()))
                    .unwrap();
            watches += info
                .lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count();
        }
    }
    watches
}

fn real_folders(dir: &Path) -> usize {
    1 + std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| real_folders(&e.path()))
        .sum::<usize>()
}

// Finding 7: symbolic links multiply the walk.

#[test]
fn a_link_back_into_the_tree_is_reported_and_not_followed() {
    let tree = Tree::base();
    symlink(".", tree.path().join("models/loop"));
    let checked = Checked::run(tree.path()).unwrap();
    let text = report(&checked);
    assert_eq!(codes_at(&checked, Code::LinkedFolder), ["loop"], "{text}");
    assert_eq!(checked.record_count(), 9, "each file read once:\n{text}");
    assert_eq!(checked.files().len(), 9 + 1, "{text}");
    assert!(codes_at(&checked, Code::DuplicateId).is_empty(), "{text}");
}

#[test]
fn two_loops_and_a_link_to_the_root_end_quickly() {
    let tree = Tree::base();
    symlink(".", tree.path().join("models/loop1"));
    symlink(".", tree.path().join("models/loop2"));
    symlink("/", tree.path().join("models/root"));
    symlink("../..", tree.path().join("people/up"));
    let run = run_bounded(&["validate", tree.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1), "{}{}", run.stdout, run.stderr);
    let out = tree.scrub(&run.stdout);
    for line in [
        "error[P015]: `loop1` is a symbolic link to a folder",
        "error[P015]: `loop2` is a symbolic link to a folder",
        "error[P013]: `root` is a symbolic link that leads outside the data folder",
        "error[P013]: `up` is a symbolic link that leads outside the data folder",
    ] {
        assert!(out.contains(line), "{line}:\n{out}");
    }
    assert!(
        out.contains("4 errors and 0 warnings in 9 records from 13 files"),
        "{out}"
    );
}

/// Every entry below `dir`, hidden or not, as the loader counts them.
fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            if e.file_type().unwrap().is_dir() {
                1 + entries(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn the_walk_stops_after_max_data_entries() {
    use pedigree::load::MAX_DATA_ENTRIES;
    let tree = Tree::base();
    let crowd = tree.path().join("models/crowd");
    std::fs::create_dir(&crowd).unwrap();
    // Hidden files: counted, never read, so only the count can refuse the tree.
    let files = MAX_DATA_ENTRIES + 1 - entries(tree.path());
    for i in 0..files {
        std::fs::File::create(crowd.join(format!(".n{i}"))).unwrap();
    }
    assert_eq!(entries(tree.path()), MAX_DATA_ENTRIES + 1);
    let checked = Checked::run(tree.path()).unwrap();
    let text = report(&checked);
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::TooManyEntries], "{text}");
    assert_eq!(checked.record_count(), 0, "nothing is read past the cap");
    assert!(
        text.contains(&format!("more than {MAX_DATA_ENTRIES} files and folders")),
        "{text}"
    );
    // The code table names the number (docs/diagnostics.md copies it): keep it true.
    let (thousands, units) = (MAX_DATA_ENTRIES / 1000, MAX_DATA_ENTRIES % 1000);
    assert!(
        Code::TooManyEntries
            .description()
            .contains(&format!("{thousands},{units:03}")),
        "{}",
        Code::TooManyEntries.description()
    );

    // At the cap exactly, the tree is walked.
    std::fs::remove_file(crowd.join(".n0")).unwrap();
    let checked = Checked::run(tree.path()).unwrap();
    assert!(checked.diagnostics.is_empty(), "{}", report(&checked));
    assert_eq!(checked.record_count(), 9);
}

#[test]
fn the_watcher_does_not_follow_links_out_of_the_tree() {
    let tree = Tree::base();
    let outside = tempfile::tempdir().unwrap();
    for i in 0..40 {
        std::fs::create_dir_all(outside.path().join(format!("deep/f{i}"))).unwrap();
    }
    let server = LoggedServer::start(&["--data", tree.path().to_str().unwrap(), "--watch"]);
    // A folder holding a link out of the tree, moved in whole: the watcher adds a
    // watch for the new folder and everything it would follow below it.
    let staging = tempfile::tempdir().unwrap();
    std::fs::create_dir(staging.path().join("pack")).unwrap();
    symlink(
        outside.path().join("deep"),
        staging.path().join("pack/elsewhere"),
    );
    std::fs::rename(staging.path().join("pack"), tree.path().join("models/pack")).unwrap();
    wait_for("the reload after the move", || {
        !server.last_reload().is_null()
    });
    // Every real folder of the tree, the data folder's parent, the query folder and
    // its parent: nothing of the 41 folders behind the link.
    let allowed = real_folders(tree.path()) + 3;
    let watches = inotify_watches(server.child.id());
    assert!(
        watches <= allowed,
        "{watches} inotify watches for {allowed} folders: the watcher followed the link"
    );
    let refused = server.last_reload();
    assert!(
        refused["diagnostics"]
            .as_array()
            .is_some_and(|all| all.iter().any(|d| d["code"] == "P013")),
        "the loader refuses the link too: {refused}"
    );
}

// Finding 8: links out of the tree disclose files.

const SECRET: &str = "root_password: hunter2-never-print-me\n";

#[test]
fn links_out_of_the_tree_are_refused_and_never_echoed() {
    let tree = Tree::base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shadow"), SECRET).unwrap();
    std::fs::create_dir(outside.path().join("secrets")).unwrap();
    std::fs::write(outside.path().join("secrets/key.yaml"), SECRET).unwrap();
    symlink(
        outside.path().join("shadow"),
        tree.path().join("models/shadow.yaml"),
    );
    symlink(
        outside.path().join("secrets"),
        tree.path().join("organizations/secrets"),
    );
    for format in ["human", "json", "github"] {
        let run = run_bounded(&[
            "validate",
            "--format",
            format,
            tree.path().to_str().unwrap(),
        ]);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.status.code(), Some(1), "{format}: {all}");
        assert_eq!(all.matches("P013").count(), 2, "{format}: {all}");
        assert!(
            all.contains("shadow.yaml") && all.contains("secrets"),
            "{all}"
        );
        for leak in ["hunter2", "root_password"] {
            assert!(!all.contains(leak), "{format} output shows {leak}:\n{all}");
        }
    }
}

#[test]
fn the_status_and_the_log_never_show_a_linked_secret() {
    let tree = Tree::base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shadow"), SECRET).unwrap();
    let server = LoggedServer::start(&["--data", tree.path().to_str().unwrap()]);
    symlink(
        outside.path().join("shadow"),
        tree.path().join("models/shadow.yaml"),
    );
    server.hangup();
    wait_for("the refused reload", || server.last_reload()["ok"] == false);
    let status = server.get("/api/status").text();
    assert!(status.contains("P013"), "{status}");
    let log = server.log();
    assert!(log.contains("P013"), "{log}");
    for leak in ["hunter2", "root_password"] {
        assert!(!status.contains(leak), "/api/status shows {leak}: {status}");
        assert!(!log.contains(leak), "the log shows {leak}: {log}");
    }
}

#[test]
fn a_link_to_a_file_inside_the_tree_is_still_read() {
    let tree = Tree::base();
    std::fs::create_dir(tree.path().join(".shared")).unwrap();
    std::fs::rename(
        tree.path().join("people/ada.yaml"),
        tree.path().join(".shared/ada.yaml"),
    )
    .unwrap();
    symlink("../.shared/ada.yaml", tree.path().join("people/ada.yaml"));
    let checked = Checked::run(tree.path()).unwrap();
    assert!(checked.diagnostics.is_empty(), "{}", report(&checked));
    assert_eq!(checked.record_count(), 9);
}

// Finding 9: a FIFO named `*.yaml` hangs validate and wedges reload.

#[test]
fn a_fifo_or_a_link_to_stdin_is_reported_and_never_opened() {
    let tree = Tree::base();
    mkfifo(&tree.path().join("models/pipe.yaml"));
    symlink("/dev/stdin", tree.path().join("models/stdin.yaml"));
    let run = run_bounded(&["validate", tree.path().to_str().unwrap()]);
    let out = tree.scrub(&run.stdout);
    assert!(
        out.contains("error[P014]: `pipe.yaml` is a named pipe (FIFO), not a regular file"),
        "{out}{}",
        run.stderr
    );
    // /dev/stdin resolves outside the tree (P013), or, for a pipe, to no path at all
    // (P001): either way it is not read.
    assert!(
        out.contains("error[P013]: `stdin.yaml`") || out.contains("error[P001]: cannot read file"),
        "{out}"
    );
    assert!(matches!(run.status.code(), Some(1 | 2)), "{out}");
    assert!(
        out.contains("in 9 records"),
        "the rest is still read: {out}"
    );
}

#[test]
fn a_fifo_does_not_wedge_reload() {
    let tree = Tree::bundled();
    let server = LoggedServer::start(&["--data", tree.path().to_str().unwrap(), "--watch"]);
    let pipe = tree.path().join("models/pipe.yaml");
    mkfifo(&pipe);
    wait_for("the FIFO to be reported", || {
        server.last_reload()["diagnostics"]
            .as_array()
            .is_some_and(|all| all.iter().any(|d| d["code"] == "P014"))
    });
    assert_eq!(
        server.get("/api/models/avocado").json()["name"],
        "Muse Spark"
    );
    std::fs::remove_file(&pipe).unwrap();
    let avocado = tree.path().join("models/avocado.yaml");
    let good = std::fs::read_to_string(&avocado).unwrap();
    std::fs::write(
        &avocado,
        good.replace("name: Muse Spark", "name: Muse Spark (after the FIFO)"),
    )
    .unwrap();
    wait_for("the next edit to be served", || {
        server.get("/api/models/avocado").json()["name"] == "Muse Spark (after the FIFO)"
    });
    assert_eq!(server.last_reload()["ok"], true);
}

// Finding 10: `--watch` stops when the data folder is deleted and recreated.

#[test]
fn watch_survives_the_data_folder_being_deleted_and_recreated() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("gd");
    let bundled = root().join("graph-data");
    copy_dir(&bundled, &data);
    let server = LoggedServer::start(&["--data", data.to_str().unwrap(), "--watch"]);
    let name = || {
        server.get("/api/models/avocado").json()["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(name(), "Muse Spark");
    let edit = |label: &str| {
        let avocado = data.join("models/avocado.yaml");
        let good = std::fs::read_to_string(bundled.join("models/avocado.yaml")).unwrap();
        std::fs::write(
            &avocado,
            good.replace("name: Muse Spark", &format!("name: Muse Spark ({label})")),
        )
        .unwrap();
    };

    // Deleted: the reload says why and the last good data is still served.
    std::fs::remove_dir_all(&data).unwrap();
    wait_for("the reload of the missing folder", || {
        server.last_reload()["error"]
            .as_str()
            .is_some_and(|e| e.contains("no such directory"))
    });
    assert_eq!(name(), "Muse Spark");
    // Recreated: served, and so is every later edit.
    copy_dir(&bundled, &data);
    wait_for("the recreated folder to be served", || {
        server.last_reload()["ok"] == true
    });
    edit("recreated");
    wait_for("an edit in the recreated folder", || {
        name() == "Muse Spark (recreated)"
    });

    // Renamed away and replaced by a copy: the watch follows the path, not the folder.
    let old = parent.path().join("gd.old");
    std::fs::rename(&data, &old).unwrap();
    copy_dir(&bundled, &data);
    edit("replaced");
    wait_for("an edit in the replacing folder", || {
        name() == "Muse Spark (replaced)"
    });
    assert_eq!(server.last_reload()["ok"], true);
}

// Finding 16: `export` to a full disk truncates the previous good file.

#[test]
fn export_that_fails_midway_keeps_the_previous_file_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.ttl");
    let out_arg = out.to_str().unwrap();
    let first = run_bounded(&["export", "-o", out_arg]);
    assert_eq!(first.status.code(), Some(0), "{}", first.stderr);
    let good = std::fs::read(&out).unwrap();
    assert!(
        good.len() > 64 * 1024,
        "a real export: {} bytes",
        good.len()
    );
    // A full disk, as the writer sees it: the file-size limit (64 blocks, a few tens
    // of KiB whatever the shell's block size) makes every write past it fail, with
    // EFBIG instead of ENOSPC but through the same path; SIGXFSZ is ignored so that
    // the write returns an error rather than killing the process.
    let run = run_bounded_in(
        Command::new("sh")
            .args(["-c", r#"trap '' XFSZ; ulimit -f 64; exec "$0" "$@""#])
            .arg(env!("CARGO_BIN_EXE_pedigree"))
            .args(["export", "--format", "ntriples", "-o", out_arg]),
    );
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("cannot write {out_arg}")),
        "the error names the file: {}",
        run.stderr
    );
    assert!(
        std::fs::read(&out).unwrap() == good,
        "the previous export is intact"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["graph.ttl"], "no partial file is left behind");
}

#[test]
fn export_to_a_device_names_it_and_leaves_it_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let run = run_bounded(&["export", "-o", "/dev/full"]);
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write /dev/full"),
        "{}",
        run.stderr
    );
    let kind = std::fs::metadata("/dev/full").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/full was not replaced");
}

#[test]
fn export_replaces_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.nt");
    std::fs::write(
        &out,
        "an older, longer export that must not survive in part\n".repeat(9999),
    )
    .unwrap();
    let run = run_bounded(&[
        "export",
        "--format",
        "ntriples",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", run.stderr);
    let to_stdout = run_bounded(&["export", "--format", "ntriples"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), to_stdout.stdout);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

// Finding 17: one reload of many bad files writes a log line of megabytes.

#[test]
fn a_refused_reload_logs_no_more_diagnostics_than_the_status_shows() {
    let tree = Tree::base();
    let server = LoggedServer::start(&["--data", tree.path().to_str().unwrap()]);
    let broken = 250;
    for i in 0..broken {
        tree.write(&format!("models/empty-{i:03}.yaml"), "# nothing here\n");
    }
    server.hangup();
    wait_for("the refused reload", || server.last_reload()["ok"] == false);
    let status = server.last_reload();
    let shown = status["diagnostics"].as_array().unwrap().len();
    assert_eq!(status["diagnostics_total"], broken, "{status}");
    assert!(shown < broken, "the status caps its list: {shown}");
    wait_for("the refusal in the log", || {
        server.log().contains("reload refused")
    });
    let log = server.log();
    assert_eq!(
        log.matches("error[P007]").count(),
        shown,
        "the log renders the diagnostics the status shows, no more"
    );
    assert!(
        log.contains(&format!("… and {} more diagnostics", broken - shown)),
        "{log}"
    );
}

#[test]
fn the_query_folder_follows_the_same_rules() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shadow"), SECRET).unwrap();
    let serve = |queries: &Path| {
        run_bounded(&[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--queries",
            queries.to_str().unwrap(),
        ])
    };
    // A link out of the folder would publish the file at /api/queries.
    let linked = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("queries/model-lineage.rq"),
        linked.path().join("model-lineage.rq"),
    )
    .unwrap();
    symlink(
        outside.path().join("shadow"),
        linked.path().join("secret.rq"),
    );
    let run = serve(linked.path());
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.status.code(), Some(2), "{all}");
    assert!(
        all.contains("secret.rq") && all.contains("outside the query folder"),
        "{all}"
    );
    for leak in ["hunter2", "root_password"] {
        assert!(!all.contains(leak), "the refusal shows {leak}:\n{all}");
    }
    // A FIFO would block the reader (start-up, or a reload) for good.
    let piped = tempfile::tempdir().unwrap();
    mkfifo(&piped.path().join("blocked.rq"));
    let run = serve(piped.path());
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.status.code(), Some(2), "{all}");
    assert!(all.contains("not a regular file"), "{all}");
}
