#!/usr/bin/env bash
# API reference (`npm run docs`): TypeDoc renders the TSDoc of the package's public entry
# (web/index.ts, what `import ... from 'avatar-voice'` gives) to docs/api/ (generated,
# git-ignored). Internal constructors (@internal) and private members are left out. A warning
# (say, a public type that references one index.ts does not export) fails the command.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/typedoc ] || bash scripts/setup.sh
rm -rf docs/api
npx typedoc \
  --tsconfig web/tsconfig.json \
  --entryPoints web/index.ts \
  --out docs/api \
  --name avatar-voice \
  --readme README.md \
  --excludePrivate --excludeInternal \
  --disableSources \
  --intentionallyNotExported Obj \
  --treatWarningsAsErrors \
  --logLevel Warn
echo "[docs] docs/api/index.html"
