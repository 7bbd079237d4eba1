#!/usr/bin/env bash
# `make bench`: indexing and search benchmarks, each side by side with its peers, in one run.
# Usage: bench/run.sh BUILD_DIR [LETTERS|FOLDER]   (default 100000 generated letters)
# index_bench.sh leaves its databases in $IMR_BENCH_TMP (default /tmp); the search and HTTP
# benchmarks measure those same databases.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-build}" && pwd)"
corpus="${2:-100000}"
tmp="${IMR_BENCH_TMP:-/tmp}"
if [ -d "$corpus" ]; then tag=$(basename "$(cd "$corpus" && pwd)"); else tag=$corpus; fi
"$here/pdf_bench.sh" "$build"
"$here/index_bench.sh" "$build" "$corpus"
"$here/search_bench.sh" "$build" "$corpus"
"$here/http_bench.sh" "$build" "$tmp/imr-bench-$tag.db"
