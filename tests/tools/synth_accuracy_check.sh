#!/usr/bin/env bash
# ctest wrapper: generates synthetic letters and half of them in the published layout, and requires every extracted field to be >= 99.9% right.
# Usage: synth_accuracy_check.sh SYNTH_ACCURACY_BIN SHARED_DIR [LETTERS]; exits 77 (skipped) without SHARED_DIR.
set -euo pipefail
tool="$1" shared="$2" letters="${3:-2000}"
generator="$shared/corpus/synth_letters.py"
if [ ! -f "$generator" ]; then echo "skipped: $generator not found"; exit 77; fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
python3 "$generator" "$out" -n "$letters" --seed 11 --published-share 0.5 >/dev/null
"$tool" "$out" --show 3 --min 99.9
