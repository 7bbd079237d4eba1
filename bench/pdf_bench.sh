#!/usr/bin/env bash
# PDF indexing beside its floor: imr-index over the published letters in ../shared/real-letters
# against pdftotext alone on the same files (extracting the text is the least any indexer does).
#
#   bench/pdf_bench.sh [BUILD_DIR] [ROUNDS]
#
# Each round indexes every PDF into a new database and runs pdftotext on every PDF, one process
# per core; the best round of each is printed, in letters/s. Skipped with a message when ../shared is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
rounds=${2:-3}
letters_dir=${IMR_SHARED_DIR:-$here/../shared}/real-letters
tmp=${IMR_BENCH_TMP:-/tmp}
[ -d "$letters_dir" ] || { echo "pdf_bench: skipped, $letters_dir is missing"; exit 0; }
command -v pdftotext >/dev/null || { echo "pdf_bench: pdftotext missing (poppler-utils)" >&2; exit 2; }
work=$(mktemp -d "$tmp/imr-pdf-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t pdfs < <(find "$letters_dir" -name '*.pdf' | sort)
n=${#pdfs[@]}
cat "${pdfs[@]}" > /dev/null  # a warm page cache for both

best() { sort -n | head -1; }
seconds() { local start=$1 end; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'; }

for r in $(seq "$rounds"); do
  rm -rf "$work/db"
  start=$(date +%s.%N)
  "$build/imr-index" --quiet --db "$work/db" "$letters_dir"
  seconds "$start" >> "$work/imr"
  start=$(date +%s.%N)
  # As many pdftotext processes at once as imr-index has parsing threads (one per core).
  printf '%s\0' "${pdfs[@]}" | xargs -0 -n 1 -P "$(nproc)" sh -c 'pdftotext "$0" - > /dev/null' 
  seconds "$start" >> "$work/pdftotext"
done
for name in imr pdftotext; do
  s=$(best < "$work/$name")
  awk -v name="$name" -v n="$n" -v s="$s" 'BEGIN {
    printf "%-10s %4d PDFs  %6.3f s  %7.1f letters/s (best of the rounds)\n", (name == "imr" ? "imr-index" : name), n, s, n / s }'
done
