#!/usr/bin/env python3
"""Pedigree's N-Quads export in another SPARQL engine: every canned query, same answer.

`docs/scaling.md` says that a graph too large for one machine's memory goes, as
Pedigree's N-Quads export, into an existing SPARQL engine. This script shows it on
OpenLink Virtuoso (Debian package `virtuoso-opensource`):

1. generates a synthetic corpus (`pedigree generate`, never committed) and exports it
   as N-Quads, together with the vocabulary (`docs/vocabulary.ttl`, which the canned
   queries read for the words of confidence levels and relations);
2. starts a private Virtuoso on loopback ports, in a temporary directory, and bulk
   loads both files (`ld_dir` + `rdf_loader_run`);
3. starts `pedigree serve` on the same corpus;
4. runs every query of `queries/` on both endpoints, its parameters bound to ids that
   exist in the corpus, identical query text on both sides, and compares the answers:
   SELECT as multisets of rows (engines may break ORDER BY ties differently), ASK as
   booleans, CONSTRUCT as sets of triples. Literals are compared by value where the
   engines legitimately differ in spelling (`xsd:integer` vs `xsd:int` counts, `1` vs
   `true`).

It prints one line per query and exits 1 if any answer differs, 0 if all agree.

    python3 tests/bench/virtuoso_check.py --models 100000 --out target/virtuoso-check
"""

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import benchlib
from benchlib import PEDIGREE, ROOT, free_port, logger, wait_http

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger")}


log = logger("virtuoso-check")


def run(command, **kwargs):
    return benchlib.run(command, log, **kwargs)


def prologue():
    """PREFIX lines for the namespaces Pedigree predeclares (read from its source, so
    the two engines see the same text and the list is kept in one place)."""
    source = (ROOT / "src/rdf/vocab.rs").read_text()
    ped = re.search(r'PED_NAMESPACE: &str = "([^"]+)"', source).group(1)
    block = source[source.index("pub const PREFIXES") :]
    block = block[: block.index("];")]
    lines = []
    for prefix, namespace in re.findall(r'\("(\w+)",\s*(?:"([^"]+)"|PED_NAMESPACE)\)', block):
        lines.append(f"PREFIX {prefix}: <{namespace or ped}>")
    if not any(line.startswith("PREFIX ped:") for line in lines):
        lines.append(f"PREFIX ped: <{ped}>")
    return "\n".join(lines) + "\n"


VIRTUOSO_INI = """
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
MaxQueryMem = 2G
DirsAllowed = ., {data}
SchedulerInterval = 10
DefaultIsolation = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
DefaultQuery = ASK {{}}
"""


def isql(port, statement):
    return run(["isql-vt", f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"])


def ask(endpoint, query, accept):
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        endpoint, data=body, headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=3600) as response:
        return response.read().decode()


def term_key(term):
    """A binding as a comparable value: IRIs as they are, literals by value."""
    kind = term.get("type")
    value = term.get("value")
    if kind == "uri":
        return ("iri", value)
    if kind == "bnode":
        return ("bnode",)
    datatype = term.get("datatype")
    if datatype in NUMERIC:
        return ("number", float(value))
    if datatype == XSD + "boolean":
        # Virtuoso writes computed booleans as integers 0 and 1.
        return ("number", 1.0 if value in ("true", "1") else 0.0)
    if datatype in (None, XSD + "string"):
        return ("string", value, term.get("xml:lang"))
    return ("literal", value, datatype)


def select_answer(text):
    data = json.loads(text)
    if "boolean" in data:
        return ("ask", data["boolean"])
    variables = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    if variables == ["__ASK_RETVAL"] and len(bindings) == 1:
        # Virtuoso answers ASK, in SPARQL JSON, as one row of an integer 0 or 1.
        return ("ask", bindings[0]["__ASK_RETVAL"]["value"] in ("1", "true"))
    rows = Counter(tuple(term_key(row[v]) if v in row else None for v in variables) for row in data["results"]["bindings"])
    return ("select", rows)


NT_LINE = re.compile(r"^(\S+)\s+(\S+)\s+(.+?)\s*\.\s*$")


def construct_answer(text):
    triples = set()
    for line in text.splitlines():
        match = NT_LINE.match(line.strip())
        if match:
            triples.add(match.groups())
    return ("construct", triples)


def parameters(pedigree_sparql, prefixes):
    """Ids that exist in the corpus for each parameter name the catalogue uses: a
    model two derivations deep, its base's base, its developer, its release date,
    and the family of its lineage's root (generated derivatives name no family of
    their own; roots do)."""

    def first_row(query):
        rows = json.loads(ask(pedigree_sparql, prefixes + query, "application/sparql-results+json"))
        return rows["results"]["bindings"]

    row = first_row(
        """SELECT ?model ?base ?organization ?date WHERE {
             ?m prov:wasDerivedFrom ?b ; dcterms:identifier ?model ;
                schema:creator/dcterms:identifier ?organization ; schema:datePublished ?d .
             ?b prov:wasDerivedFrom ?bb . ?bb dcterms:identifier ?base .
             BIND(STR(?d) AS ?date)
           } ORDER BY ?model LIMIT 1"""
    )
    if not row:
        raise RuntimeError("the corpus has no model two derivations deep")
    values = {name: term["value"] for name, term in row[0].items()}
    family = first_row(
        f"""SELECT ?family WHERE {{
              ?m dcterms:identifier "{values['model']}" ; prov:wasDerivedFrom* ?root .
              ?root schema:isPartOf/dcterms:identifier ?family .
            }} ORDER BY ?family LIMIT 1"""
    )
    if not family:
        raise RuntimeError(f"no family above {values['model']}")
    values["family"] = family[0]["family"]["value"]
    values["record"] = values["model"]
    return values


def bind(text, values):
    for name, value in values.items():
        text = text.replace(f"VALUES ?{name} {{ UNDEF }}", f'VALUES ?{name} {{ "{value}" }}')
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "target/virtuoso-check"))
    args = parser.parse_args()
    for tool in ("virtuoso-t", "isql-vt"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install virtuoso-opensource")
    run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT)

    out = Path(args.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    corpus, data, db = out / "corpus", out / "rdf", out / "virtuoso"
    data.mkdir(parents=True)
    db.mkdir()
    run([PEDIGREE, "generate", "--models", args.models, "--seed", args.seed, "--out", corpus])
    run([PEDIGREE, "export", "--data", corpus, "--format", "nquads", "-o", data / "corpus.nq"])
    shutil.copy(ROOT / "docs/vocabulary.ttl", data / "vocabulary.ttl")

    sql_port, http_port, pedigree_port = free_port(), free_port(), free_port()
    (db / "virtuoso.ini").write_text(
        VIRTUOSO_INI.format(dir=db, data=data, sql_port=sql_port, http_port=http_port)
    )
    virtuoso = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(db / "virtuoso.ini")],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pedigree = None
    try:
        wait_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", virtuoso, any_status=True)
        started = time.perf_counter()
        graph = "https://pedigree.example/graph/corpus"
        isql(sql_port, f"ld_dir('{data}', '*.nq', '{graph}'); ld_dir('{data}', '*.ttl', '{graph}');")
        isql(sql_port, "rdf_loader_run(); checkpoint;")
        loaded = time.perf_counter() - started
        count = isql(sql_port, f"SPARQL SELECT COUNT(*) FROM <{graph}> WHERE {{ ?s ?p ?o }};").stdout
        numbers = re.findall(r"^\s*(\d+)\s*$", count, re.M)
        log(f"Virtuoso loaded in {loaded:.1f} s: {numbers[-1] if numbers else '?'} triples")

        pedigree = subprocess.Popen(
            [PEDIGREE, "serve", "--data", corpus, "--addr", f"127.0.0.1:{pedigree_port}",
             "--query-timeout", "3600", "--idle-timeout", "7200", "--max-rows", "100000000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_http(f"http://127.0.0.1:{pedigree_port}/healthz", pedigree, timeout=1800)
        ours = f"http://127.0.0.1:{pedigree_port}/sparql"
        theirs = f"http://127.0.0.1:{http_port}/sparql"
        prefixes = prologue()
        values = parameters(ours, prefixes)
        log(f"parameters: {values}")

        failures = 0
        results = []
        for path in sorted((ROOT / "queries").glob("*.rq")):
            text = prefixes + bind(path.read_text(), values)
            is_construct = re.search(r"^\s*CONSTRUCT\b", path.read_text(), re.M | re.I) is not None
            accept = "application/n-triples" if is_construct else "application/sparql-results+json"
            parse = construct_answer if is_construct else select_answer
            try:
                started = time.perf_counter()
                a = parse(ask(ours, text, accept))
                ours_s = time.perf_counter() - started
                started = time.perf_counter()
                b = parse(ask(theirs, text, "text/plain" if is_construct else accept))
                theirs_s = time.perf_counter() - started
            except Exception as error:  # a failing engine is a difference, reported
                failures += 1
                print(f"FAIL  {path.stem}: {error}")
                results.append({"query": path.stem, "same": False, "error": str(error)})
                continue
            size = sum(a[1].values()) if a[0] == "select" else (len(a[1]) if a[0] == "construct" else a[1])
            same = a == b
            failures += not same
            print(f"{'ok   ' if same else 'DIFF '} {path.stem}: {size} {'rows' if a[0] == 'select' else 'answer'}; "
                  f"Pedigree {ours_s:.2f} s, Virtuoso {theirs_s:.2f} s")
            if not same and a[0] == "select":
                print(f"      only Pedigree: {list((a[1] - b[1]).items())[:3]}")
                print(f"      only Virtuoso: {list((b[1] - a[1]).items())[:3]}")
            results.append({"query": path.stem, "same": same, "size": size, "pedigree_s": ours_s, "virtuoso_s": theirs_s})
        (out / "results.json").write_text(json.dumps({"models": args.models, "parameters": values, "virtuoso_load_s": loaded, "queries": results}, indent=2))
        print(f"{len(results) - failures}/{len(results)} canned queries give the same answer on Virtuoso and Pedigree")
        return 1 if failures else 0
    finally:
        for process in (pedigree, virtuoso):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    sys.exit(main())
