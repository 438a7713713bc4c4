#!/usr/bin/env bash
# Text search under a live `pedigree serve`: for each path given, the median wall
# time of 11 requests (after one warm-up) and the server's CPU time per request over
# 30 more (utime + stime from /proc: on a machine shared with other work, CPU time is
# disturbed far less than wall time), then the server's memory from /api/status.
# Not part of the test suite; the figures are recorded in docs/benchmarks.md.
#
#     tests/bench/search.sh BINARY DATA LABEL PATH...
#     tests/bench/search.sh target/release/pedigree target/gen-100k new '/api/models?q=llama'
set -euo pipefail

bin=$1 data=$2 label=$3
shift 3
log=$(mktemp)
"$bin" serve --data "$data" --addr 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 1200); do grep -q "serving" "$log" && break; sleep 0.5; done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$log" | head -1)
echo "== $label $(grep -o 'index_ms=[0-9]*' "$log") ready$(grep -o ' ms=[0-9.]*' "$log")"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
ticks=$(getconf CLK_TCK)
for path in "$@"; do
  times=""
  for _ in $(seq 1 12); do times="$times $(curl -s -o /dev/null -w '%{time_total}' "$url$path")"; done
  median=$(echo $times | tr ' ' '\n' | tail -11 | sort -n | sed -n 6p)
  before=$(cpu)
  for _ in $(seq 1 30); do curl -s -o /dev/null "$url$path"; done
  after=$(cpu)
  python3 -c "print('$path', 'wall_median_ms=%.1f' % ($median * 1000), 'cpu_ms_per_request=%.1f' % (($after - $before) * 1000 / $ticks / 30))"
done
curl -s "$url/api/status" | python3 -c "
import sys, json
m = json.load(sys.stdin)['memory']
print('rss_MB %.1f' % (m['rss_bytes'] / 1e6), 'allocated_MB %.1f' % (m['allocated_bytes'] / 1e6),
      'search_index_bytes', m.get('search_index_bytes'))"
