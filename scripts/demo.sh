#!/usr/bin/env bash
# `npm run demo`: builds if needed, then serves the demo on http://127.0.0.1:8080/demo/ with
# COOP/COEP headers (cross-origin isolated, so inference may use threads).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
