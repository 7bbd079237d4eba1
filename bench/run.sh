#!/usr/bin/env bash
# `make bench`: indexing and search benchmarks, each side by side with its peers, in one run.
# Usage: bench/run.sh BUILD_DIR [LETTERS|FOLDER]   (default 100000 generated letters)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-build}" && pwd)"
corpus="${2:-100000}"
"$here/index_bench.sh" "$build" "$corpus"
"$here/search_bench.sh" "$build"
"$here/http_bench.sh" "$build"
