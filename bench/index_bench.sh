#!/usr/bin/env bash
# Indexing benchmark: imr-index against omindex (and SQLite FTS5) on the same generated letters.
#
#   bench/index_bench.sh [BUILD_DIR] [N | FOLDER]
#
# N (default 100000) letters are generated once with ../shared/corpus/synth_letters.py into
# $IMR_BENCH_TMP (default /tmp) and reused; a FOLDER is indexed as it is. Prints letters/s, MB/s,
# peak RSS and index bytes per letter before and after xapian-compact, for each indexer. The
# databases stay in $IMR_BENCH_TMP as imr-bench-<N or folder name>.{db,omega,fts5}, where
# search_bench.sh and http_bench.sh measure them instead of building their own.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
what=${2:-100000}
tmp=${IMR_BENCH_TMP:-/tmp}
shared=${IMR_SHARED_DIR:-$here/../shared}
imr_index=$build/imr-index
[ -x "$imr_index" ] || { echo "index_bench: $imr_index not built (make build)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "index_bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

if [ -d "$what" ]; then
  corpus=$(cd "$what" && pwd)
  tag=$(basename "$corpus")
else
  corpus=$tmp/imr-bench-corpus-$what
  tag=$what
  if [ ! -f "$corpus/truth.jsonl" ] || [ "$(wc -l < "$corpus/truth.jsonl")" -ne "$what" ]; then
    [ -f "$shared/corpus/synth_letters.py" ] || { echo "index_bench: no generator at $shared/corpus" >&2; exit 2; }
    echo "generating $what letters into $corpus ..."
    rm -rf "$corpus"
    python3 "$shared/corpus/synth_letters.py" "$corpus" -n "$what" --seed 1 >/dev/null
  fi
fi

letters=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.pdf' \) | wc -l)
raw_bytes=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.pdf' \) -printf '%s\n' | awk '{s += $1} END {print s + 0}')
work=$(mktemp -d "$tmp/imr-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "corpus: $corpus, $letters letters, $raw_bytes bytes ($(awk -v b="$raw_bytes" -v n="$letters" 'BEGIN {printf "%.0f", b / n}') bytes a letter), $(nproc) cores"
# Every indexer starts from the same warm page cache: the first one timed would otherwise read
# the letters from disk for all of them (this machine: 6 MB/s cold for small files).
find "$corpus" -type f \( -name '*.txt' -o -name '*.pdf' \) -print0 | xargs -0 cat > /dev/null

# run NAME DB_PATH COMMAND...: times one indexer, then sizes its index and its compacted copy.
run() {
  local name=$1 db=$2; shift 2
  sync
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  local secs rss size compacted
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  size=$(du -sb "$db" | cut -f1)
  if [ -d "$db" ]; then
    rm -rf "$db.compact"
    # imr-index writes 64 KB blocks (indexer.cpp says why); recompacting it with Xapian's default
    # 8 KB would measure another layout than the one searched.
    local blocks=()
    [ "$name" = imr-index ] || [ "$name" = baseline ] && blocks=(--blocksize=64K)
    xapian-compact "${blocks[@]}" "$db" "$db.compact" >/dev/null
    compacted=$(du -sb "$db.compact" | cut -f1)
    rm -rf "$db.compact"
  else
    compacted=$size
  fi
  awk -v name="$name" -v n="$letters" -v raw="$raw_bytes" -v s="$secs" -v rss="$rss" -v size="$size" -v c="$compacted" 'BEGIN {
    printf "%-10s %9.0f letters/s %7.2f MB/s  %6.2f s  peak RSS %6.0f MiB  index %6.0f B/letter, compacted %6.0f B/letter (%.2fx raw)\n",
      name, n / s, raw / s / 1e6, s, rss / 1024, size / n, c / n, c / raw }'
}

imr_db=$tmp/imr-bench-$tag.db omega_db=$tmp/imr-bench-$tag.omega fts_db=$tmp/imr-bench-$tag.fts5
rm -rf "$imr_db" "$omega_db" "$fts_db"
run imr-index "$imr_db" "$imr_index" --quiet --db "$imr_db" "$corpus"
tail -n 3 "$work/imr-index.err" | sed 's/^/  imr-index: /'
# IMR_BASELINE_INDEX=path/to/an/older/imr-index: the same letters with it, for a before/after in one run.
if [ -n "${IMR_BASELINE_INDEX:-}" ]; then
  run baseline "$work/baseline.db" "$IMR_BASELINE_INDEX" --quiet --db "$work/baseline.db" "$corpus"
  rm -rf "$work/baseline.db"
fi
if command -v omindex >/dev/null; then
  run omindex "$omega_db" omindex --db "$omega_db" --url / "$corpus"
else
  echo "omindex   not installed (xapian-omega)"
fi
if command -v sqlite3 >/dev/null; then
  find "$corpus" -type f -name '*.txt' > "$work/files.txt"
  cat > "$work/fts5.sql" <<EOF
CREATE VIRTUAL TABLE letters USING fts5(path UNINDEXED, body);
CREATE TEMP TABLE files(path TEXT);
.import $work/files.txt files
INSERT INTO letters SELECT path, CAST(readfile(path) AS TEXT) FROM files;
EOF
  run fts5 "$fts_db" sqlite3 "$fts_db" ".read $work/fts5.sql"
else
  echo "fts5      not run (sqlite3 missing)"
fi
