#!/usr/bin/env python3
"""Pedigree at Hugging Face scale, side by side with `oxigraph serve`, in one run.

For each size (number of models) this script:

1. generates a Hub-shaped corpus with `pedigree generate` (synthetic, never committed);
2. times `pedigree validate`, and `pedigree serve` from start to ready with peak RSS;
3. exports Pedigree's N-Quads, loads them with `oxigraph load` (timed) and starts
   `oxigraph serve-read-only` on the same data;
4. drives both servers with wrk (same connections, same duration, same run) on:
   - ancestors of the deepest model, descendants of the largest family's root, and a
     path between two related models: Pedigree's lineage API, the same question as a
     SPARQL property path on Pedigree's /sparql and on oxigraph;
   - a SPARQL mix: point queries over random models, and one CONSTRUCT;
5. records memory per model (store and lineage index).

It prints a Markdown report and writes it with the raw figures (JSON) to --out.
Timings are measurements of this machine in this run; the ratios are what the targets
are about. Nothing here asserts: the test suite never times anything.

    python3 tests/bench/bench.py --sizes 10000 100000 1000000 --out target/bench
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import benchlib
from benchlib import PEDIGREE, ROOT, free_port, logger, wait_http

BASE = "https://pedigree.example/id/"
PREFIXES = (
    "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX schema: <http://schema.org/> "
    "PREFIX dcterms: <http://purl.org/dc/terms/> "
)


log = logger("bench")


def run(command, **kwargs):
    return benchlib.run(command, log, **kwargs)


def timed(command):
    """Runs a command under /usr/bin/time; returns (seconds, peak RSS bytes, stdout)."""
    started = time.perf_counter()
    result = run(["/usr/bin/time", "-f", "%M"] + [str(c) for c in command])
    seconds = time.perf_counter() - started
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kb * 1024, result.stdout


def peak_rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


WRK_LINE = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$")


def wrk(url, seconds, connections, script=None):
    """Runs wrk; returns requests/s, p50 and p99 in milliseconds, and error counts."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    if script:
        command += ["-s", str(script)]
    result = run(command + [url])
    out = result.stdout
    figures = {"url": url, "connections": connections, "seconds": seconds}
    for line in out.splitlines():
        match = WRK_LINE.match(line)
        if match:
            value = float(match.group(2)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(3)]
            figures[f"p{match.group(1)}_ms"] = value
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(line.split()[1])
        if "Non-2xx or 3xx responses" in line:
            figures["non_2xx"] = int(line.split()[-1])
        if "Socket errors" in line:
            figures["socket_errors"] = line.strip()
        m = re.search(r"(\d+) requests in", line)
        if m:
            figures["requests"] = int(m.group(1))
    figures.setdefault("non_2xx", 0)
    return figures


def fetch(url, accept="application/json"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.read()


def sparql_url(port, path, query):
    return f"http://127.0.0.1:{port}{path}?query={urllib.parse.quote(PREFIXES + query)}"


def lua_mix(path, ids, folder):
    """A wrk script cycling through SPARQL point queries over random models and one
    CONSTRUCT, all GET with Accept JSON (results) or Turtle (the CONSTRUCT)."""
    queries = []
    for model in ids:
        queries.append(("application/sparql-results+json", f'SELECT ?name ?developer WHERE {{ <{BASE}model/{model}> schema:name ?name ; schema:creator ?developer }}'))
    construct = f"CONSTRUCT {{ <{BASE}model/{ids[0]}> ?p ?o }} WHERE {{ <{BASE}model/{ids[0]}> ?p ?o }}"
    queries.append(("text/turtle", construct))
    lines = ["local requests = {}"]
    for accept, query in queries:
        target = f"{path}?query={urllib.parse.quote(PREFIXES + query)}"
        lines.append(f'table.insert(requests, wrk.format("GET", "{target}", {{ ["Accept"] = "{accept}" }}))')
    lines += [
        "local i = 0",
        "request = function()",
        "  i = i + 1",
        "  return requests[(i % #requests) + 1]",
        "end",
    ]
    script = folder / f"mix{path.replace('/', '_')}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def lua_construct(path, model, folder):
    query = f"CONSTRUCT {{ <{BASE}model/{model}> ?p ?o }} WHERE {{ <{BASE}model/{model}> ?p ?o }}"
    target = f"{path}?query={urllib.parse.quote(PREFIXES + query)}"
    script = folder / f"construct{path.replace('/', '_')}.lua"
    script.write_text(f'request = function() return wrk.format("GET", "{target}", {{ ["Accept"] = "text/turtle" }}) end\n')
    return script


def bench_size(models, args, env_bin):
    folder = Path(args.out) / f"size-{models}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    corpus = folder / "corpus"
    result = {"models": models}

    seconds, _, stdout = timed([PEDIGREE, "generate", "--models", models, "--seed", args.seed, "--out", corpus])
    landmarks = json.loads(stdout.strip().splitlines()[-1])
    result["generate_s"] = seconds
    result["landmarks"] = landmarks

    seconds, rss, stdout = timed([PEDIGREE, "validate", corpus])
    result["validate_s"] = seconds
    result["validate_peak_rss"] = rss

    # The same quads for oxigraph, exported and loaded before Pedigree serves: at a
    # million models the export and the serving process each hold the whole graph, and
    # both at once do not fit in this machine's memory.
    nquads = folder / "corpus.nq"
    seconds, rss, _ = timed([PEDIGREE, "export", "--data", corpus, "--format", "nquads", "-o", nquads])
    result["export_s"] = seconds
    result["export_peak_rss"] = rss
    oxdb = folder / "oxigraph-db"
    seconds, rss, _ = timed([env_bin / "oxigraph", "load", "--location", oxdb, "--file", nquads])
    result["oxigraph_load_s"] = seconds
    result["oxigraph_load_peak_rss"] = rss
    # Pedigree: start to ready, peak RSS.
    port = free_port()
    pedigree = subprocess.Popen(
        [PEDIGREE, "serve", "--data", corpus, "--addr", f"127.0.0.1:{port}", "--queries", ROOT / "queries",
         "--query-timeout", "120", "--idle-timeout", "300", "--max-rows", "10000000",
         # Like oxigraph serve, no refusals under the benchmark's own load: every request waits its turn.
         "--max-concurrent-queries", "64", "--queue-wait", "60000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"},
    )
    result["pedigree_load_s"] = wait_http(f"http://127.0.0.1:{port}/healthz", pedigree)
    status = json.loads(fetch(f"http://127.0.0.1:{port}/api/status"))
    result["pedigree_status"] = status
    result["pedigree_ready_peak_rss"] = peak_rss(pedigree.pid)

    oxport = free_port()
    oxigraph = subprocess.Popen(
        [env_bin / "oxigraph", "serve-read-only", "--location", oxdb, "--bind", f"127.0.0.1:{oxport}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_http(f"http://127.0.0.1:{oxport}/query?query={urllib.parse.quote('ASK {}')}", oxigraph)
    result["oxigraph_ready_rss"] = peak_rss(oxigraph.pid)

    deepest, root = landmarks["deepest"], landmarks["largest_root"]
    # A related pair for the path question: the deepest model and the root of its tree.
    up = json.loads(fetch(f"http://127.0.0.1:{port}/api/models/{deepest}/lineage?direction=up&compact=true"))
    tree_root = min(up["nodes"], key=lambda n: (n["generation"], n["id"]))["id"]
    result["path_pair"] = [deepest, tree_root]

    questions = {
        "ancestors of the deepest model": (
            f"/api/models/{deepest}/lineage?direction=up&compact=true",
            f"SELECT ?a WHERE {{ <{BASE}model/{deepest}> prov:wasDerivedFrom+ ?a }}",
        ),
        "descendants of the largest family's root": (
            f"/api/models/{root}/lineage?direction=down&compact=true",
            f"SELECT ?d WHERE {{ ?d prov:wasDerivedFrom+ <{BASE}model/{root}> }}",
        ),
        "path (reachability) between deepest and its root": (
            f"/api/path?from={deepest}&to={tree_root}",
            f"ASK {{ <{BASE}model/{deepest}> prov:wasDerivedFrom+ <{BASE}model/{tree_root}> }}",
        ),
    }
    # Answer sizes, to show the answers are complete and comparable.
    down = json.loads(fetch(f"http://127.0.0.1:{port}/api/models/{root}/lineage?direction=down&compact=true"))
    result["largest_family_nodes"] = len(down["nodes"]) - 1
    result["deepest_ancestors"] = len(up["nodes"]) - 1
    sparql_down = json.loads(fetch(sparql_url(oxport, "/query", questions["descendants of the largest family's root"][1]), "application/sparql-results+json"))
    result["oxigraph_largest_family_rows"] = len(sparql_down["results"]["bindings"])

    lineage = {}
    for name, (api_path, query) in questions.items():
        entry = {}
        heavy = name.startswith("descendants")
        seconds = args.heavy_seconds if heavy else args.seconds
        connections = 2 if heavy else args.connections
        entry["pedigree_api"] = wrk(f"http://127.0.0.1:{port}{api_path}", seconds, connections)
        entry["pedigree_sparql"] = wrk(sparql_url(port, "/sparql", query), seconds, connections)
        entry["oxigraph_sparql"] = wrk(sparql_url(oxport, "/query", query), seconds, connections)
        lineage[name] = entry
    result["lineage"] = lineage

    rng = random.Random(args.seed)
    ids = [f"m-{rng.randrange(models):07d}" for _ in range(200)]
    mix = {}
    for who, path, port_ in [("pedigree", "/sparql", port), ("oxigraph", "/query", oxport)]:
        mix[who] = {
            "point_queries_and_construct": wrk(f"http://127.0.0.1:{port_}{path}", args.seconds, args.connections, lua_mix(path, ids, folder)),
            "construct": wrk(f"http://127.0.0.1:{port_}{path}", args.seconds, args.connections, lua_construct(path, ids[1], folder)),
        }
    result["sparql_mix"] = mix

    result["pedigree_peak_rss_after_load"] = peak_rss(pedigree.pid)
    status = json.loads(fetch(f"http://127.0.0.1:{port}/api/status"))
    result["pedigree_rss_after_load"] = status["memory"]["rss_bytes"]
    result["oxigraph_rss_after_load"] = peak_rss(oxigraph.pid)
    stop(pedigree)
    stop(oxigraph)
    if not args.keep:
        shutil.rmtree(oxdb, ignore_errors=True)
        nquads.unlink(missing_ok=True)
        shutil.rmtree(corpus, ignore_errors=True)
    return result


def ms(value):
    return "–" if value is None else (f"{value:.2f}" if value < 10 else f"{value:.0f}")


def mb(value):
    return "–" if value is None else f"{value / 1e6:.0f} MB"


def report(results, args):
    lines = [f"Run: `{' '.join(sys.argv)}` on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", ""]
    lines.append("### Load and validate")
    lines.append("")
    lines.append("| models | triples | validate | Pedigree YAML→serving | its peak RSS | oxigraph load (same quads) | Pedigree / oxigraph load | oxigraph RSS serving |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in results:
        lines.append(
            f"| {r['models']:,} | {r['pedigree_status']['counts']['triples']:,} | {r['validate_s']:.1f} s | {r['pedigree_load_s']:.1f} s | "
            f"{mb(r['pedigree_ready_peak_rss'])} | {r['oxigraph_load_s']:.1f} s | {r['pedigree_load_s'] / r['oxigraph_load_s']:.2f}× | {mb(r['oxigraph_ready_rss'])} |"
        )
    lines.append("")
    lines.append("### Lineage questions (wrk, p50 / p99 in ms, requests per second)")
    lines.append("")
    lines.append("| models | question | answer size | Pedigree API | Pedigree /sparql | oxigraph /query | API vs oxigraph (p50) |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in results:
        for name, entry in r["lineage"].items():
            size = {"ancestors of the deepest model": r["deepest_ancestors"], "descendants of the largest family's root": r["largest_family_nodes"]}.get(name, "1 path")
            a, p, o = entry["pedigree_api"], entry["pedigree_sparql"], entry["oxigraph_sparql"]
            ratio = (o.get("p50_ms") or 0) / max(a.get("p50_ms") or 1e-9, 1e-9)
            lines.append(
                f"| {r['models']:,} | {name} | {size} | {ms(a.get('p50_ms'))} / {ms(a.get('p99_ms'))} ({a.get('rps', 0):.0f}/s) | "
                f"{ms(p.get('p50_ms'))} / {ms(p.get('p99_ms'))} ({p.get('rps', 0):.0f}/s) | {ms(o.get('p50_ms'))} / {ms(o.get('p99_ms'))} ({o.get('rps', 0):.0f}/s) | {ratio:.1f}× |"
            )
    lines.append("")
    lines.append("### SPARQL endpoint throughput (same queries, same load)")
    lines.append("")
    lines.append("| models | workload | Pedigree req/s, p50 / p99 ms | oxigraph req/s, p50 / p99 ms | throughput ratio |")
    lines.append("|---|---|---|---|---|")
    for r in results:
        for workload in ["point_queries_and_construct", "construct"]:
            p, o = r["sparql_mix"]["pedigree"][workload], r["sparql_mix"]["oxigraph"][workload]
            lines.append(
                f"| {r['models']:,} | {workload.replace('_', ' ')} | {p.get('rps', 0):.0f}, {ms(p.get('p50_ms'))} / {ms(p.get('p99_ms'))} | "
                f"{o.get('rps', 0):.0f}, {ms(o.get('p50_ms'))} / {ms(o.get('p99_ms'))} | {p.get('rps', 0) / max(o.get('rps', 1), 1e-9):.2f}× |"
            )
    lines.append("")
    lines.append("### Memory")
    lines.append("")
    lines.append("| models | Pedigree RSS serving | per model | lineage index | per model |")
    lines.append("|---|---|---|---|---|")
    for r in results:
        index = r["pedigree_status"]["memory"]["lineage_index_bytes"]
        rss = r["pedigree_rss_after_load"] or 0
        lines.append(f"| {r['models']:,} | {mb(rss)} | {rss / r['models']:.0f} B | {mb(index)} | {index / r['models']:.0f} B |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per light question")
    parser.add_argument("--heavy-seconds", type=int, default=20, help="wrk duration for the largest-family question")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "target/bench"))
    parser.add_argument("--keep", action="store_true", help="keep corpora and databases")
    args = parser.parse_args()
    env = ROOT / "target/bench-env"
    if not (env / "bin/oxigraph").exists():
        run([sys.executable, "-m", "venv", env])
        run([env / "bin/pip", "install", "--quiet", "oxigraph==0.5.13"])
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    run(["cargo", "build", "--release", "--locked"], cwd=ROOT)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        log(f"size {size}")
        results.append(bench_size(size, args, env / "bin"))
        (Path(args.out) / "results.json").write_text(json.dumps(results, indent=2))
    text = report(results, args)
    (Path(args.out) / "report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
