#!/usr/bin/env bash
# Search benchmark: imr::Engine in-process over a query mix with every facet exact, then the same
# phrase queries through Xapian's quest over an omindex database and through SQLite FTS5.
#
#   bench/search_bench.sh [BUILD_DIR] [N | FOLDER]
#
# N (default 100000) generated letters are shared with index_bench.sh ($IMR_BENCH_TMP, default /tmp),
# and so are its databases (imr-bench-<N>.{db,omega,fts5}); any that is missing is built here and
# kept (imr-index is incremental). Prints p50/p95/p99/max per query kind and overall.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
what=${2:-100000}
tmp=${IMR_BENCH_TMP:-/tmp}
shared=${IMR_SHARED_DIR:-$here/../shared}
runs=${IMR_BENCH_RUNS:-5}
[ -x "$build/imr-index" ] && [ -x "$build/search_bench" ] || { echo "search_bench: build imr-index and search_bench first (make build)" >&2; exit 2; }

if [ -d "$what" ]; then
  corpus=$(cd "$what" && pwd)
  tag=$(basename "$corpus")
else
  corpus=$tmp/imr-bench-corpus-$what
  tag=$what
  if [ ! -f "$corpus/truth.jsonl" ] || [ "$(wc -l < "$corpus/truth.jsonl")" -ne "$what" ]; then
    [ -f "$shared/corpus/synth_letters.py" ] || { echo "search_bench: no generator at $shared/corpus" >&2; exit 2; }
    echo "generating $what letters into $corpus ..."
    rm -rf "$corpus"
    python3 "$shared/corpus/synth_letters.py" "$corpus" -n "$what" --seed 1 >/dev/null
  fi
fi
imr_db=$tmp/imr-bench-$tag.db
omega_db=$tmp/imr-bench-$tag.omega
fts_db=$tmp/imr-bench-$tag.fts5

echo "== imr-index into $imr_db (skipped files are unchanged)"
# The corpus folder as index_bench.sh gives it, so that the letters' paths, and so their ids, agree.
index_status=0
"$build/imr-index" --quiet --db "$imr_db" "$corpus" || index_status=$?
if [ "$index_status" -eq 2 ]; then
  echo "   (a database of another schema: built again)"
  rm -rf "$imr_db"
  "$build/imr-index" --quiet --db "$imr_db" "$corpus" || [ $? -eq 1 ]
elif [ "$index_status" -ne 0 ] && [ "$index_status" -ne 1 ]; then
  exit "$index_status"
fi

echo "== imr::Engine in-process, $runs runs of the mix, every facet counted exactly"
"$build/search_bench" --db "$imr_db" --runs "$runs"

phrases=('"medically necessary"' '"not medically necessary"' '"long-term use"' '"physical therapy"'
         '"functional improvement"' '"urine drug screen"' '"chronic pain medical treatment guidelines"')

ms_now() { date +%s%N; }
report() {  # report NAME MS...: median and max of a list of milliseconds
  local name=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v name="$name" '{ v[NR] = $1 } END {
    printf "%-34s n=%d  p50 %8.2f  max %8.2f ms\n", name, NR, v[int((NR + 1) / 2)], v[NR] }'
}

if command -v omindex >/dev/null && command -v quest >/dev/null; then
  if [ ! -d "$omega_db" ]; then
    echo "== omindex into $omega_db (once; slow)"
    omindex --db "$omega_db" --url / "$corpus" >/dev/null
  fi
  echo "== quest over omindex (a process per query, top 10 and its match estimate)"
  times=()
  for p in "${phrases[@]}"; do
    for _ in $(seq "$runs"); do
      t0=$(ms_now); quest -d "$omega_db" -m 10 "$p" >/dev/null; t1=$(ms_now)
      times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e6 }')")
    done
  done
  report "quest phrase top-10" "${times[@]}"
else
  echo "quest/omindex not installed (xapian-omega, xapian-tools)"
fi

if command -v sqlite3 >/dev/null; then
  if [ ! -f "$fts_db" ]; then
    echo "== SQLite FTS5 into $fts_db (once)"
    find "$corpus" -type f -name '*.txt' > "$fts_db.files"
    sqlite3 "$fts_db" <<EOF
CREATE VIRTUAL TABLE letters USING fts5(path UNINDEXED, body);
CREATE TEMP TABLE files(path TEXT);
.import $fts_db.files files
INSERT INTO letters SELECT path, CAST(readfile(path) AS TEXT) FROM files;
EOF
    rm -f "$fts_db.files"
  fi
  echo "== SQLite FTS5 (in one sqlite3 process, .timer)"
  for kind in count top10; do
    script=""
    for p in "${phrases[@]}"; do
      for _ in $(seq "$runs"); do
        if [ "$kind" = count ]; then script+="SELECT count(*) FROM letters WHERE letters MATCH '$p';"$'\n'
        else script+="SELECT path FROM letters WHERE letters MATCH '$p' ORDER BY bm25(letters) LIMIT 10;"$'\n'; fi
      done
    done
    mapfile -t times < <(printf '.timer on\n%s' "$script" | sqlite3 "$fts_db" 2>&1 | awk '/^Run Time:/ { print $4 * 1000 }')
    report "fts5 phrase $kind" "${times[@]}"
  done
else
  echo "sqlite3 not installed"
fi
