#!/usr/bin/env bash
# HTTP benchmark: imr-search serve on a loopback port under wrk, cycling the searcher issue's query mix.
# Usage: bench/http_bench.sh BUILD_DIR [DB] [SECONDS]
#   DB defaults to $IMR_BENCH_DB, else $IMR_BENCH_TMP/imr-bench-100000.db (default /tmp), which is
#   built once from the generated corpus bench/index_bench.sh leaves in $IMR_BENCH_TMP and then
#   reused; without that corpus, an index of data/samples is served (and the figures say little).
#   WRK_THREADS and WRK_CONNECTIONS override the 2 threads and 32 connections.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source_dir="$(cd "$here/.." && pwd)"
build="$(cd "${1:-build}" && pwd)"
tmp="${IMR_BENCH_TMP:-/tmp}"
db="${2:-${IMR_BENCH_DB:-$tmp/imr-bench-100000.db}}"
duration="${3:-15}"
search_bin="$build/imr-search"
index_bin="$build/imr-index"

command -v wrk >/dev/null || { echo "http_bench: wrk is not installed (make deps installs it)" >&2; exit 1; }
[ -x "$search_bin" ] || { echo "http_bench: $search_bin is missing; build first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/imr-http-bench.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

corpus="$tmp/imr-bench-corpus-100000"
if [ ! -d "$db" ] && [ -z "${2:-}" ] && [ -d "$corpus" ]; then
  # Slow (tens of minutes for 100k letters on 2 cores), so built aside and moved into place only
  # when complete: an interrupted run never leaves a partial index to be measured later.
  echo "http_bench: indexing $corpus into $db (once; later runs reuse it)"
  rm -rf "$db.partial"
  "$index_bin" --quiet --db "$db.partial" "$corpus" || [ $? -eq 1 ]
  mv "$db.partial" "$db"
fi
if [ ! -d "$db" ]; then
  echo "http_bench: no index at $db; serving data/samples instead (figures will not be representative)"
  db="$work/samples.db"
  "$index_bin" --quiet --db "$db" "$source_dir/data/samples" || [ $? -eq 1 ]
fi

# The server binds a free port itself and names it in its first log line.
"$search_bin" --db "$db" serve --host 127.0.0.1 --port 0 >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.log" | head -n1)"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "http_bench: the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

# The query mix of the searcher issue: single terms, phrases, boolean, proximity, field searches and
# filters, and broad phrases that match almost everything. Every request computes all facets.
cat >"$work/mix.lua" <<'LUA'
local paths = {
  "/api/search?q=soma",
  "/api/search?q=carisoprodol",
  "/api/search?q=tenderness",
  "/api/search?q=%22medically%20necessary%22",
  "/api/search?q=%22not%20medically%20necessary%22",
  "/api/search?q=%22long-term%20use%22",
  "/api/search?q=%22muscle%20relaxants%22",
  "/api/search?q=soma%20AND%20(spasm%20OR%20cramps)",
  "/api/search?q=opioid%20NOT%20tramadol",
  "/api/search?q=tenderness%20NEAR%2F5%20spasm",
  "/api/search?q=%22physical%20therapy%22%20w%2F10%20lumbar",
  "/api/search?q=carisoprod*",
  "/api/search?q=drug%3Asoma%20decision%3Aoverturned",
  "/api/search?q=section%3Arationale%20%22not%20recommended%22",
  "/api/search?drug=hydrocodone&decision=Overturned",
  "/api/search?q=pain&specialty=Pain%20Management&sort=decided",
  "/api/search?q=%22medically%20necessary%22&group=letter",
  "/api/search",
}
local counter = 0
function init(args)
  counter = math.random(#paths)
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format("\nhttp_bench: %d requests in %.1f s = %.0f requests/s, %d errors (non-2xx: %d)\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), errors,
    summary.errors.status))
  io.write(string.format("http_bench: latency ms  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA

echo "== HTTP: wrk, ${WRK_THREADS:-2} threads, ${WRK_CONNECTIONS:-32} connections, ${duration}s, query mix over $db (port $port)"
wrk --threads "${WRK_THREADS:-2}" --connections "${WRK_CONNECTIONS:-32}" --duration "${duration}s" --timeout 10s --latency \
    --script "$work/mix.lua" "http://127.0.0.1:$port" | tee "$work/wrk.out"

kill -TERM "$server_pid"
wait "$server_pid" || { echo "http_bench: the server did not exit cleanly" >&2; exit 1; }
server_pid=""
requests_logged=$(grep -c '^GET /api/' "$work/server.log" || true)
echo "http_bench: the server logged $requests_logged requests and stopped cleanly"
