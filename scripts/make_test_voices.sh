#!/usr/bin/env bash
# Generates the small random-weight test voices the suites use (never committed, cached in
# build/voices; the generator skips voices that are up to date). `--medium` adds the ~63 MB
# benchmark voice. Also writes <voice>.ceil.onnx / <voice>.noceil.onnx for the timing tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/voices
mkdir -p "$out"
gen() { /usr/bin/python3 scripts/make_test_voice.py --out "$out" "$@" | tail -n 1; }
gen --preset tiny
gen --preset tiny --speakers 4
# Timing-test variants (tests/js/timing_oracle.test.ts): Ceil output exposed with the onnx
# package, and a Ceil-free twin that must give timing "estimated".
/usr/bin/python3 scripts/make_timing_variants.py "$out/test-tiny.onnx" "$out/test-tiny-multi.onnx"
if [ "${1:-}" = "--medium" ]; then gen --preset medium; fi
