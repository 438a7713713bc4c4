//! The layering of `src/` as a test: every `crate::` (and, in the binary,
//! `pedigree::`) path in code must point down the map below, never up or sideways,
//! so the architecture docs/ARCHITECTURE.md draws stays the one the code has.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::root;

/// Each top-level module of the library (and `cli`, the binary: `src/main.rs` and
/// `src/cli/`) with its layer. A module may use only modules of a lower layer; two
/// modules of one layer know nothing of each other.
const LAYERS: &[(&str, u8)] = &[
    // Leaves: no domain knowledge.
    ("escape", 0),
    ("numbers", 0),
    ("store", 0),
    ("generate", 0),
    // The record types, with spans.
    ("model", 1),
    ("diagnostics", 2),
    // The JSON views of records and walks, shared by lineage and the server.
    ("view", 2),
    // Reading files and the checks over what was read.
    ("load", 3),
    ("queries", 3),
    ("schema", 3),
    ("validate", 4),
    ("dataset", 5),
    // Views of a validated dataset.
    ("rdf", 6),
    ("lineage", 6),
    // Model cards into records of their own folder (reads cards from disk or the Hub
    // API, writes its output).
    ("import", 6),
    // What a model owes along its lineage, and the compliance findings.
    ("obligations", 7),
    ("kb", 8),
    // AI bills of materials of a model and its ancestry (CycloneDX, SPDX), from the
    // dataset and the lineage index only.
    ("bom", 7),
    // The paths of the web pages, for pictures drawn by the server or the CLI.
    ("site", 8),
    ("sparql", 9),
    // What a server serves and a command answers from.
    ("snapshot", 9),
    // The edges: HTTP and the command line.
    ("server", 10),
    ("cli", 11),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, l)| l)
}

/// The top-level module a source file belongs to.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned();
    if first == "main" { "cli".into() } else { first }
}

/// Code without comments (line comments and doc comments), so a doc link such as
/// ``[`crate::diagnostics::Code`]`` is not counted as a dependency.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                ""
            } else {
                // A `//` inside a string literal would cut the line short; the paths
                // looked for here never follow one on the same line in practice, and
                // a cut only hides an edge, which the next edit will show.
                line.split(" // ").next().unwrap_or(line)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a piece of code names through `crate::` or `pedigree::`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for prefix in ["crate::", "pedigree::"] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// Whether `line` names the path `token` as a whole word (`fs::` but not `rdfs::`,
/// `File::` but not `SimpleFile::`).
fn has_path(line: &str, token: &str) -> bool {
    line.match_indices(token).any(|(at, _)| {
        !line[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut edges = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        if relative == Path::new("lib.rs") {
            continue;
        }
        let module = module_of(relative);
        let Some(own) = layer(&module) else {
            problems.push(format!(
                "src/{}: module `{module}` is not in the layer map of tests/layers.rs; add it (and to docs/ARCHITECTURE.md)",
                relative.display()
            ));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for used in named_modules(&code) {
            if used == module {
                continue;
            }
            edges += 1;
            match layer(&used) {
                Some(theirs) if theirs < own => {}
                Some(theirs) => problems.push(format!(
                    "src/{}: `{module}` (layer {own}) uses `{used}` (layer {theirs}): a module may use only lower layers",
                    relative.display()
                )),
                None => problems.push(format!(
                    "src/{}: uses `{used}`, which is not in the layer map",
                    relative.display()
                )),
            }
        }
    }
    // The walk must have seen the code it checks: a broken path would pass vacuously.
    assert!(
        files.len() > 40 && edges > 30,
        "{} files, {edges} edges",
        files.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The modules that read or write files, and what for. Everything else does no file
/// IO (reading `/proc` for memory figures aside), which is what
/// keeps the model, validation, RDF mapping, store, lineage index and evaluation pure.
const FILE_IO: &[(&str, &str)] = &[
    ("load", "the graph-data/ tree"),
    ("queries", "the canned-query folder"),
    ("kb", "the extra RDF files of --rdf"),
    ("snapshot", "the data folder's git commit"),
    (
        "import",
        "model cards, the records it writes below its output folder, and its cache of Hub answers there",
    ),
    ("cli", "query files, exports and the generated corpus"),
];

#[test]
fn only_the_named_modules_touch_files() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut seen = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = module_of(relative);
        let allowed = FILE_IO.iter().any(|(m, _)| *m == module);
        for (number, line) in code_of(&std::fs::read_to_string(file).unwrap())
            .lines()
            .enumerate()
        {
            let io = ["fs::", "File::"].iter().any(|token| has_path(line, token));
            if !io {
                continue;
            }
            seen += 1;
            if !allowed && !line.contains("\"/proc/") {
                problems.push(format!(
                    "src/{}:{}: `{module}` touches files, which only {:?} may: {}",
                    relative.display(),
                    number + 1,
                    FILE_IO.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
                    line.trim()
                ));
            }
        }
    }
    assert!(seen > 10, "the scan found only {seen} file operations");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Crates that belong to one part: HTTP and the web only in the server (tokio also
/// in the binary, which runs the server's runtime), the graph library only in the
/// lineage index and the cycle check, so no petgraph type reaches the server, and the
/// HTTP client only in the importer.
const CONFINED_CRATES: &[(&str, &[&str])] = &[
    ("axum", &["server"]),
    ("hyper", &["server"]),
    ("hyper_util", &["server"]),
    ("tower", &["server"]),
    ("tower_http", &["server"]),
    ("utoipa_axum", &["server"]),
    ("maud", &["server"]),
    ("notify", &["server"]),
    ("tokio", &["server", "cli"]),
    ("petgraph", &["lineage", "validate"]),
    ("ureq", &["import"]),
];

#[test]
fn http_and_graph_crates_stay_in_their_parts() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut seen = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = module_of(relative);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (krate, homes) in CONFINED_CRATES {
            if !has_path(&code, &format!("{krate}::")) {
                continue;
            }
            seen += 1;
            if !homes.contains(&module.as_str()) {
                problems.push(format!(
                    "src/{}: `{module}` uses `{krate}`, which belongs to {homes:?} only",
                    relative.display()
                ));
            }
        }
    }
    assert!(seen > 10, "the scan found only {seen} uses");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The one file that talks to the network as a client: the HTTP client of the
/// importer's Hub API path (the walk and the reading of answers beside it do not).
/// Nothing else names the HTTP client or opens an outgoing socket, so no other part
/// of Pedigree can reach the network (the server only listens).
const NETWORK_CLIENT: &str = "import/hub/client.rs";

#[test]
fn only_the_hub_client_talks_to_the_network() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    let mut seen = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        // The server's accepted connections are `TcpStream`s too: only connecting out
        // counts.
        let client = ["ureq::", "TcpStream::connect", "UdpSocket", "ToSocketAddrs"]
            .iter()
            .any(|token| has_path(&code, token));
        if !client {
            continue;
        }
        seen += 1;
        if relative != Path::new(NETWORK_CLIENT) {
            problems.push(format!(
                "src/{}: talks to the network as a client, which only src/{NETWORK_CLIENT} may",
                relative.display()
            ));
        }
    }
    assert_eq!(seen, 1, "the scan must find the one client: {problems:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_layer_map_names_every_module_of_the_library() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let mapped: BTreeSet<&str> = LAYERS
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| *m != "cli")
        .collect();
    assert_eq!(declared, mapped);
    // The layout in lib.rs's doc comment names every module, so it stays a map.
    let unlisted: Vec<&&str> = declared
        .iter()
        .filter(|m| !lib.contains(&format!("//! - [`{m}`]")))
        .collect();
    assert!(
        unlisted.is_empty(),
        "src/lib.rs's layout does not list {unlisted:?}"
    );
}

#[test]
fn the_edge_finder_sees_paths_and_skips_comments() {
    let code = code_of(
        "use crate::model::Id;\n/// see [`crate::server`]\nlet x = pedigree::kb::X; // crate::cli\nmy_crate::nope",
    );
    let found: Vec<String> = named_modules(&code).into_iter().collect();
    assert_eq!(found, ["kb", "model"]);
    assert!(has_path("std::fs::read(p)", "fs::") && has_path("File::open(p)", "File::"));
    assert!(!has_path("rdfs::LABEL", "fs::") && !has_path("SimpleFile::new()", "File::"));
}
