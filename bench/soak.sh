#!/usr/bin/env bash
# Soak: the wrk query mix against imr-search serve on 127.0.0.1 while imr-index keeps adding
# letters to the database it serves. Reports latency percentiles, errors and the server's RSS
# every 10 s, and fails when memory does not level off (the last third of the samples may grow
# by at most 10% over the peak of the middle third) or any request failed.
# Usage: bench/soak.sh BUILD_DIR [SECONDS]
#   SOAK_LETTERS (default 20000) letters are indexed first, and up to as many more are added in
#   batches of SOAK_ADD (2000) with --batch 50 while wrk runs; they come from the shared generator
#   (../shared/corpus/synth_letters.py), made once into $IMR_BENCH_TMP (default /tmp).
#   SOAK_KEEP=1 keeps the work folder (database, server log, wrk output) for a closer look.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source_dir="$(cd "$here/.." && pwd)"
build="$(cd "${1:-build}" && pwd)"
duration="${2:-600}"
tmp="${IMR_BENCH_TMP:-/tmp}"
letters="${SOAK_LETTERS:-20000}"
add="${SOAK_ADD:-2000}"
search_bin="$build/imr-search"
index_bin="$build/imr-index"
generator="$source_dir/../shared/corpus/synth_letters.py"

command -v wrk >/dev/null || { echo "soak: wrk is not installed (make deps installs it)" >&2; exit 1; }
[ -x "$search_bin" ] && [ -x "$index_bin" ] || { echo "soak: build first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/imr-soak.XXXXXX")"
server_pid="" feeder_pid="" sampler_pid=""
cleanup() {
  for pid in "$feeder_pid" "$sampler_pid" "$server_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "${SOAK_KEEP:-}" ]; then echo "soak: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

corpus="$tmp/imr-soak-corpus-$((2 * letters))"
if [ ! -f "$corpus/.complete" ]; then
  [ -f "$generator" ] || { echo "soak: the generator $generator is missing" >&2; exit 1; }
  echo "soak: generating $((2 * letters)) letters into $corpus (once)"
  rm -rf "$corpus"
  python3 "$generator" "$corpus" -n $((2 * letters)) --seed 19 >/dev/null
  touch "$corpus/.complete"
fi
# The first half is indexed before serving; the second half is fed in batches while wrk runs.
mapfile -t files < <(find "$corpus" -type f -name '*.txt' | sort)
mkdir -p "$work/in"
for ((i = 0; i < letters && i < ${#files[@]}; ++i)); do ln -s "${files[$i]}" "$work/in/$i.txt"; done
echo "soak: indexing $letters letters"
"$index_bin" --quiet --db "$work/db" "$work/in" || [ $? -eq 1 ]

"$search_bin" --db "$work/db" serve --host 127.0.0.1 --port 0 >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.log" | head -n1)"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "soak: the server did not start" >&2; exit 1; }

# The feeder: a batch of new letters, indexed with small commits, then the next, while time lasts.
(
  next=$letters
  while [ "$next" -lt "${#files[@]}" ]; do
    for ((i = next; i < next + add && i < ${#files[@]}; ++i)); do ln -s "${files[$i]}" "$work/in/$i.txt"; done
    next=$((next + add))
    "$index_bin" --quiet --batch 50 --db "$work/db" "$work/in" >>"$work/feeder.log" 2>&1 || true
  done
) &
feeder_pid=$!

# RSS of the server every 10 s.
(
  t=0
  while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
    echo "$t $rss" >>"$work/rss"
    sleep 10
    t=$((t + 10))
  done
) &
sampler_pid=$!

cat >"$work/mix.lua" <<'LUA'
local paths = {
  "/api/search?q=soma", "/api/search?q=carisoprodol", "/api/search?q=tenderness",
  "/api/search?q=%22medically%20necessary%22", "/api/search?q=%22not%20medically%20necessary%22",
  "/api/search?q=%22long-term%20use%22", "/api/search?q=%22muscle%20relaxants%22",
  "/api/search?q=soma%20AND%20(spasm%20OR%20cramps)", "/api/search?q=opioid%20NOT%20tramadol",
  "/api/search?q=tenderness%20NEAR%2F5%20spasm", "/api/search?q=%22physical%20therapy%22%20w%2F10%20lumbar",
  "/api/search?q=carisoprod*", "/api/search?q=drug%3Asoma%20decision%3Aoverturned",
  "/api/search?q=section%3Arationale%20%22not%20recommended%22", "/api/search?drug=hydrocodone&decision=Overturned",
  "/api/search?q=pain&specialty=Pain%20Management&sort=decided", "/api/search?q=%22medically%20necessary%22&group=letter",
  "/api/search", "/api/stats?by=drug", "/api/health",
}
local counter = 0
function init(args) counter = math.random(#paths) end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format("\nsoak: %d requests in %.1f s = %.0f requests/s, %d errors (non-2xx %d, timeouts %d)\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), errors,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("soak: latency ms  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("SOAK_ERRORS=%d\n", errors))
end
LUA

echo "== soak: wrk, 2 threads, 32 connections, ${duration}s, on 127.0.0.1:$port, indexer adding $add letters a round"
wrk --threads 2 --connections 32 --duration "${duration}s" --timeout 15s --latency \
    --script "$work/mix.lua" "http://127.0.0.1:$port" | tee "$work/wrk.out"

kill -TERM "$feeder_pid" 2>/dev/null || true
wait "$feeder_pid" 2>/dev/null || true
feeder_pid=""
# wrk's percentiles include its coordinated-omission correction (each late answer adds samples
# for the requests the connection would have sent meanwhile), so a few seconds' stall weighs on its
# p90 and p99; the access log's own times (from a worker taking the request up) show it unweighted.
awk '/^GET / { t = $NF; sub(/ms$/, "", t); print t + 0 }' "$work/server.log" | sort -n | awk '
  { v[++n] = $1; if ($1 > 1000) slow++ } END { if (!n) exit
  printf "soak: server-side ms  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f; %d of %d over 1 s\n",
    v[int(n * .5) + 1], v[int(n * .9) + 1], v[int(n * .99) + 1], v[int(n * .999) + 1], v[n], slow, n }'
revisions=$(grep -c "database reopened" "$work/server.log" || true)
echo "soak: the server reopened the database $revisions times; letters indexed by then: $(ls "$work/in" | wc -l)"
echo "soak: RSS of the server (s, MB):"
awk '{printf "  %5d %8.1f\n", $1, $2 / 1024}' "$work/rss"
errors=$(sed -n 's/^SOAK_ERRORS=//p' "$work/wrk.out")
grep -E '" (5[0-9][0-9]) ' "$work/server.log" | head -5 || true

# Levelled off: the peak of the last third of the samples within 10% of the middle third's.
verdict=$(awk '{ rss[NR] = $2 } END {
  n = NR; if (n < 6) { print "too-few"; exit }
  a = int(n / 3); b = int(2 * n / 3); mid = 0; last = 0
  for (i = a + 1; i <= b; ++i) if (rss[i] > mid) mid = rss[i]
  for (i = b + 1; i <= n; ++i) if (rss[i] > last) last = rss[i]
  printf "%s %.1f %.1f", (last <= mid * 1.10 ? "level" : "growing"), mid / 1024, last / 1024 }' "$work/rss")
echo "soak: memory $verdict (peak MB of the middle and the last third)"
status=0
[ "${errors:-1}" = 0 ] || { echo "soak: FAILED: $errors requests failed" >&2; status=1; }
case "$verdict" in growing*) echo "soak: FAILED: the server's memory keeps growing" >&2; status=1 ;; esac
exit $status
