#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against a live `pedigree serve` and its
# /openapi.json. Every operation of the document gets generated requests, valid and
# invalid; the run fails on any 5xx (not_a_server_error), on answers the document
# does not describe (status codes, content types, response schemas), and on invalid
# requests that are accepted. Not part of the test suite (it needs minutes); the
# result is recorded in docs/benchmarks.md.
#
#     tests/bench/schemathesis.sh [seconds]     # default 300
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-300}
env=target/bench-env
[ -x "$env/bin/schemathesis" ] || { python3 -m venv "$env" && "$env/bin/pip" install -q schemathesis; }
cargo build --release --locked --quiet

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn target/release/pedigree serve --addr "127.0.0.1:$port" >/dev/null 2>target/schemathesis-server.log &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

"$env/bin/schemathesis" --version
status=0
"$env/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
    --checks all \
    --max-time "$seconds" \
    --workers 2 \
    --suppress-health-check too_slow \
    --report junit --report-dir target/schemathesis || status=$?
echo "server errors logged: $(grep -c ' ERROR ' target/schemathesis-server.log || true)"
exit $status
