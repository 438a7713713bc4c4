#!/usr/bin/env python3
"""Load test: `pedigree serve` under 64 connections for 60 s, slow queries included.

Starts the release binary on the bundled data (a free port on 127.0.0.1), records its
RSS, and drives it with two wrk processes at once for --seconds: --connections minus
--slow-clients connections send a mix of lineage API calls (ancestors, descendants,
paths, model details, lists, pages) and SPARQL queries (point queries, property
paths, a CONSTRUCT), while --slow-clients connections send nothing but a
deliberately slow query (an unbounded property path that runs into the time limit),
one after the other. Slow queries hold evaluation permits while they run; when no
permit is free a SPARQL request is refused with 503 and Retry-After: that is the
designed behaviour, counted apart.

It repeats the run --runs times and prints, for each, requests per second, p50/p99
latency, the answers by status, wrk's socket errors (must be zero) and RSS after the
run and a short idle pause (to see whether memory keeps growing from run to run),
and writes them as JSON to --out. Nothing here asserts: figures go to
docs/benchmarks.md.

    python3 tests/bench/load.py --seconds 60 --connections 64
"""

import argparse
import json
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchlib import PEDIGREE, ROOT, free_port, logger, wait_http

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:nothing>|^!<x:nothing>)* ?b }"


def doubling(n):
    binds = " ".join(f"BIND(CONCAT(?a{i - 1},?a{i - 1}) AS ?a{i})" for i in range(1, n + 1))
    return f'SELECT (STRLEN(?a{n}) AS ?len) {{ BIND("xxxxxxxx" AS ?a0) {binds} }}'


def values(v):
    return f"VALUES ?{v} {{ {' '.join(str(i) for i in range(300))} }}"


# The worst queries of the hostile-input review (issue 17), sent by --worst clients:
# each once took the server down, held a core for minutes or kept gigabytes.
WORST = [
    SLOW,
    doubling(30),
    f"SELECT (COUNT(*) AS ?n) {{ {values('a')} {values('b')} {values('c')} {values('d')} }}",
    "SELECT ?s ?p ?o ?a ?c { ?s ?p ?o OPTIONAL { ?a a ?c } } ORDER BY ?c ?o LIMIT 1",
    "SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 1",
    "SELECT DISTINCT ?a ?b { ?a (!<x:nothing>|^!<x:nothing>)* ?b }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?c), STR(?f)) AS ?x) }",
]

LUA = r"""
-- Request mix: weighted list of paths; wrk threads pick at random.
local paths = {PATHS}
-- Global, not local: wrk's thread:get reads a thread's globals.
counts = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, { ["Accept"] = "application/json, application/sparql-results+json;q=0.9, text/turtle;q=0.8, */*;q=0.1" })
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  io.write("STATUS {" .. table.concat(parts, ", ") .. "}\n")
  io.write(string.format("ERRORS connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("LATENCY p50=%.3f p99=%.3f max=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


log = logger("load")


def rss(pid):
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                figures[line.split(":")[0]] = int(line.split()[1]) * 1024
    return figures


def sparql(query):
    return "/sparql?query=" + urllib.parse.quote(query)


def mix():
    prefixes = "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    model = "<https://pedigree.example/id/model/{}>"
    paths = []
    for m in ["avocado", "llama-3.1-8b", "deepseek-r1-distill-qwen-7b", "qwen2.5-7b", "gemma-3-27b"]:
        paths += [
            f"/api/models/{m}",
            f"/api/models/{m}/lineage?direction=up",
            f"/api/models/{m}/lineage?direction=both&compact=true",
            f"/models/{m}",
            sparql(prefixes + f"SELECT ?a WHERE {{ {model.format(m)} prov:wasDerivedFrom+ ?a }}"),
            sparql(prefixes + f"SELECT ?p ?o WHERE {{ {model.format(m)} ?p ?o }}"),
        ]
    paths += [
        "/api/models/llama-3.1-8b/lineage?direction=down",
        "/api/path?from=avocado&to=qwen2.5-7b",
        "/api/models?q=qwen&per_page=20",
        "/api/organizations/meta",
        "/api/queries/closed-models-with-open-ancestors",
        sparql(prefixes + "CONSTRUCT { ?m prov:wasDerivedFrom ?b } WHERE { ?m prov:wasDerivedFrom ?b }"),
        sparql(prefixes + "SELECT ?m WHERE { ?m dcterms:identifier ?id FILTER(CONTAINS(?id, \"qwen\")) }"),
    ]
    return paths


def start_wrk(url, seconds, connections, script, threads=2):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s", "-s", str(script), url]
    log(" ".join(command))
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_wrk(process):
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed: {err}")
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    figures["status"] = json.loads(re.search(r"STATUS (\{.*\})", out).group(1))
    errors = re.search(r"ERRORS connect=(\d+) read=(\d+) write=(\d+) status=(\d+) timeout=(\d+)", out)
    figures["socket_errors"] = {k: int(v) for k, v in zip(["connect", "read", "write", "status", "timeout"], errors.groups())}
    latency = re.search(r"LATENCY p50=([\d.]+) p99=([\d.]+) max=([\d.]+)", out)
    figures["p50_ms"], figures["p99_ms"], figures["max_ms"] = map(float, latency.groups())
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--slow-clients", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query-timeout", type=int, default=2)
    parser.add_argument("--worst", action="store_true", help="slow clients send the worst queries of issue 17, not only the slow path")
    parser.add_argument("--max-query-memory", type=int, help="MiB, passed to the server")
    parser.add_argument("--out", default=str(ROOT / "target/bench/load.json"))
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    mix_script = out.with_suffix(".mix.lua")
    slow_script = out.with_suffix(".slow.lua")
    paths = mix()
    mix_script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}"))
    slow_paths = [sparql(q) for q in (WORST if args.worst else [SLOW])]
    slow_script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in slow_paths) + "}"))

    port = free_port()
    server = subprocess.Popen(
        [PEDIGREE, "serve", "--addr", f"127.0.0.1:{port}", "--query-timeout", str(args.query_timeout)]
        + (["--max-query-memory", str(args.max_query_memory)] if args.max_query_memory else []),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"RUST_LOG": "warn", "PATH": "/usr/bin:/bin"},
    )
    runs = []
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", server, timeout=60)
        before = rss(server.pid)
        allocated_before = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=5))["memory"]["allocated_bytes"]
        url = f"http://127.0.0.1:{port}"
        for _ in range(args.runs):
            slow = start_wrk(url, args.seconds, args.slow_clients, slow_script, threads=1)
            main_run = start_wrk(url, args.seconds, args.connections - args.slow_clients, mix_script)
            figures = {"mix": finish_wrk(main_run), "slow": finish_wrk(slow)}
            time.sleep(5)
            figures["rss_after"] = rss(server.pid)
            status = json.load(urllib.request.urlopen(f"{url}/api/status", timeout=5))
            figures["allocated_after"] = status["memory"]["allocated_bytes"]
            runs.append(figures)
        healthy = urllib.request.urlopen(f"{url}/healthz", timeout=5).status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    result = {
        "seconds": args.seconds,
        "connections": args.connections,
        "slow_clients": args.slow_clients,
        "query_timeout_s": args.query_timeout,
        "worst": args.worst,
        "paths": len(paths),
        "runs": runs,
        "rss_before": before,
        "allocated_before": allocated_before,
        "healthy_after": healthy,
        "exit_code": server.returncode,
    }
    out.write_text(json.dumps(result, indent=2))
    mb = lambda b: f"{b / 1e6:.0f} MB"
    print(f"RSS before: {mb(before['VmRSS'])}, allocated {mb(allocated_before)}")
    for i, run in enumerate(runs, 1):
        mix_run, slow_run = run["mix"], run["slow"]
        other = {s: n for s, n in mix_run["status"].items() if s not in ("200", "503")}
        print(f"run {i}: mix {mix_run['rps']:.0f} req/s, p50 {mix_run['p50_ms']:.2f} ms, p99 {mix_run['p99_ms']:.2f} ms, "
              f"max {mix_run['max_ms']:.0f} ms; {mix_run['requests']} requests: {mix_run['status']}; "
              f"non-200 other than 503: {other or 'none'}; socket errors {mix_run['socket_errors']}")
        print(f"       slow clients: {slow_run['requests']} requests: {slow_run['status']}, p50 {slow_run['p50_ms']:.0f} ms; "
              f"socket errors {slow_run['socket_errors']}")
        print(f"       RSS after run and 5 s idle: {mb(run['rss_after']['VmRSS'])} (peak so far {mb(run['rss_after']['VmHWM'])}), "
              f"allocated {mb(run['allocated_after'])}")
    print(f"healthy after: {healthy}; exit code {server.returncode}")


if __name__ == "__main__":
    main()
