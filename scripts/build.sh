#!/usr/bin/env bash
# Builds everything a page or a test needs, rebuilding only what changed:
#   build/native  g++: core library, native tests, espeak-ng CLI + compiled English data
#   build/wasm    emcc: avatar-voice-core.{mjs,wasm} (core + espeak-ng + SQLite, Embind)
#   dist/         the npm package: TypeScript output, core/ (wasm, glue, espeak data pack)
# `--native` stops after build/native (what `npm run test:native` needs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's own JS tools need acorn from Debian
log() { printf '[build] %s\n' "$*"; }
# shellcheck source=scripts/lib/cmake_build.sh
. scripts/lib/cmake_build.sh

# Setup is idempotent and takes ~1 s when everything is there (it checks each part).
bash scripts/setup.sh

t0=$(date +%s)
[ -f build/native/CMakeCache.txt ] || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake_build build/native -j "$JOBS" -- --no-print-directory || exit 1
log "native build done ($(( $(date +%s) - t0 )) s)"
# The core's tables for the package (error codes, viseme names, language packs): one source, the core.
mkdir -p web/generated
build/native/core_tables_ts web/generated/core_tables.ts
[ "${1:-}" = --native ] && exit 0

DATA=build/native/espeak-data/espeak-ng-data
mkdir -p dist/core
# pack NAME ENTRY...: one data pack, rebuilt only when its data changed.
pack() {
  local out=dist/core/espeak-ng-data-$1.pack; shift
  if [ ! -f "$out" ] || [ -n "$(cd "$DATA" && find "$@" -newer "$ROOT/$out" | head -1)" ]; then
    node scripts/pack_espeak_data.mjs "$DATA" "$out" "$@"
  fi
}
# English (always loaded): phoneme tables, intonations, the dictionary, the English voices.
pack en phontab phonindex phondata intonations en_dict $(cd "$DATA" && ls -d lang/gmw/en*)
# Other languages: their dictionary and voice files only (they share the phoneme tables). The list
# is cmake/EspeakNg.cmake's (AV_ESPEAK_EXTRA_LANGUAGES), written out by the native configure.
for lang in $(cat build/native/espeak-data/language-packs.txt); do
  # Its voices: those named after it, and those whose `dictionary` line names it (nb → no).
  pack "$lang" "${lang}_dict" $(cd "$DATA" && { ls -d lang/*/"$lang" lang/*/"$lang"-* 2>/dev/null; grep -rlx "dictionary $lang" lang; } | sort -u)
done

t1=$(date +%s)
[ -f build/wasm/CMakeCache.txt ] || emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake_build build/wasm -j "$JOBS" -- --no-print-directory || exit 1
for f in avatar-voice-core.mjs avatar-voice-core.wasm; do
  cmp -s "build/wasm/wasm/$f" "dist/core/$f" || cp "build/wasm/wasm/$f" dist/core/
done
log "wasm build done ($(( $(date +%s) - t1 )) s)"

node scripts/build_web.mjs
log "package done; total $(( $(date +%s) - t0 )) s"
