#!/usr/bin/env bash
# The project's test command (`npm test`): builds what changed, then runs every suite —
# native GoogleTest (ctest), Vitest in Node against the built package, Vitest driving Debian
# Chromium, the packed package installed into a fresh Vite app (tests/package) — and ends with one
# line adding them up ("N passed, N failed").
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh || exit 1
bash scripts/make_test_voices.sh || exit 1
results=build/test-results
mkdir -p "$results"
status=0

echo "== native (ctest) =="
ctest --test-dir build/native --output-on-failure -j "$(nproc)" | tee "$results/ctest.txt" || status=1

echo "== Node (vitest) =="
npx vitest run --config tests/js/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-node.json" || status=1

echo "== Chromium (vitest + playwright-core) =="
npx vitest run --config tests/browser/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-browser.json" || status=1

echo "== package (npm pack + Vite app in Chromium) =="
npx vitest run --config tests/package/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-package.json" || status=1

node scripts/test_summary.mjs "$results" || status=1
exit $status
