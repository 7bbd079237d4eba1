#!/usr/bin/env bash
# One bounded libFuzzer run: run_fuzz.sh FUZZ_BINARY_DIR TARGET SECONDS
# Reads the seed corpus and every crash reproducer in tests/fuzz/, writes new inputs to a scratch
# corpus in the build tree (never into the source tree) and a crash to build-fuzz/artifacts/.
# Exit 77 (skipped) with a message when the fuzz build is missing (no clang).
set -u
bin_dir=$1 target=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
fuzzer="$bin_dir/$target"
if [ ! -x "$fuzzer" ]; then
  echo "skipped: $fuzzer is not built (make fuzz-build needs clang and libclang-rt-14-dev)"
  exit 77
fi
work="$bin_dir/corpus/$target"
artifacts="$bin_dir/artifacts/$target/"
mkdir -p "$work" "$artifacts"
seeds=("$here/corpus/$target")
[ -d "$here/crashes/$target" ] && seeds+=("$here/crashes/$target")
# Every known crash reproducer must pass first.
if [ -d "$here/crashes/$target" ] && [ -n "$(ls -A "$here/crashes/$target")" ]; then
  "$fuzzer" "$here/crashes/$target"/* >/dev/null 2>&1 || { echo "a crash reproducer fails again"; "$fuzzer" "$here/crashes/$target"/*; exit 1; }
fi
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "${seeds[@]}"
