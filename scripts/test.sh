#!/usr/bin/env bash
# The project's test command (`npm test`): builds what changed, then runs every suite —
# native GoogleTest (ctest), Vitest in Node against the built package, Vitest driving Debian
# Chromium. Each runner prints its own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo "== native (ctest) =="
ctest --test-dir build/native --output-on-failure -j "$(nproc)"
echo "== Node (vitest) =="
npx vitest run --config tests/js/vitest.config.ts
echo "== Chromium (vitest + playwright-core) =="
npx vitest run --config tests/browser/vitest.config.ts
