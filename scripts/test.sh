#!/usr/bin/env bash
# The project's test command (`npm test`): builds what changed, then runs every suite —
# native GoogleTest (ctest), Vitest in Node against the built package, Vitest driving Debian
# Chromium, Firefox ESR and WebKitGTK, the packed package installed into a fresh Vite app (tests/package), the native suite
# under ASan + UBSan and every libFuzzer target for 30 s — and ends with one line adding them up
# ("N passed, N failed").
set -uo pipefail
cd "$(dirname "$0")/.."
# Each stage's wall time, printed before the summary (CI's budget is 30 minutes: where it goes).
stage_times=()
stage_name="build + test voices"
stage_start=$(date +%s)
stage() {
  stage_times+=("$(printf '%-44s %5d s' "$stage_name" $(($(date +%s) - stage_start)))")
  stage_name=$1
  stage_start=$(date +%s)
  echo "== $1 =="
}
bash scripts/build.sh || exit 1
# --medium: the Piper-sized voice the model-split tests need (generated once, cached in build/voices).
bash scripts/make_test_voices.sh --medium || exit 1
results=$PWD/build/test-results
# Results of an earlier run must never stand in for a suite that crashed this time.
rm -rf "$results" && mkdir -p "$results"
status=0

stage "lint + format (Biome, biome.json)"
# Lint findings and unformatted files fail the run; `npm run format` fixes the formatting.
if npx biome ci --error-on-warnings --colors=off; then lint=passed; else lint=failed status=1; fi
# The closing summary counts it, so a red lint never reads as "0 failed".
echo "{\"checks\":[{\"name\":\"biome ci --error-on-warnings\",\"status\":\"$lint\"}]}" >"$results/lint.json"

stage "native (ctest)"
ctest --test-dir build/native --output-on-failure -j "$(nproc)" --output-junit "$results/ctest.xml" || status=1

stage "Node (vitest)"
npx vitest run --config tests/js/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-node.json" || status=1

stage "Chromium (vitest + playwright-core)"
npx vitest run --config tests/browser/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-browser.json" || status=1

# The suites whose page calls every engine's driver can make (tests/browser/firefox.ts and
# webkit.ts adapt them), each file stating what an engine cannot do and checking its fallback; the
# Chromium-only suites (demo, the Player's timing, request interception) need Playwright and CDP.
ENGINE_SUITES=(phonemize synthesis store lifecycle limits voice_cache sw_mirror catalog ort_start opus_store player_gesture demo_engines)
engine_files=("${ENGINE_SUITES[@]/#/tests/browser/}")
engine_files=("${engine_files[@]/%/.browser.test.ts}")

stage "Firefox ESR (vitest + puppeteer-core over WebDriver BiDi)"
# --retry=1 (with a fresh page, reopenAfterFailure in tests/browser/chromium.ts): CI went red here
# twice on onnxruntime-web starts that never finished in Firefox's worker; traced to its thread
# pool, now off in Firefox (web/ort_runtime.ts, ort_start.browser.test.ts). The retry stays as a
# guard, never silent: the summary lists each RETRIED test with its first failure.
AV_BROWSER=firefox npx vitest run --config tests/browser/vitest.config.ts --retry=1 --reporter=default --reporter=json \
  --outputFile="$results/vitest-firefox.json" "${engine_files[@]}" || status=1

stage "WebKitGTK (vitest + WebKitWebDriver under xvfb-run)"
AV_BROWSER=webkit npx vitest run --config tests/browser/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-webkit.json" "${engine_files[@]}" || status=1

stage "package (npm pack + Vite app in Chromium)"
npx vitest run --config tests/package/vitest.config.ts --reporter=default --reporter=json \
  --outputFile="$results/vitest-package.json" || status=1

# Hardening: the native suite again under ASan + UBSan, then every fuzzer for 30 s (both from
# build/asan, one clang build; see CMakeLists.txt "Hardening build" and scripts/fuzz.sh).
stage "native under ASan + UBSan (ctest, build/asan)"
t_asan=$(date +%s)
[ -f build/asan/CMakeCache.txt ] || CC=clang-14 CXX=clang++-14 cmake -S . -B build/asan \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAV_SANITIZE=ON -DAV_FUZZ=ON >/dev/null
if cmake --build build/asan -j "$(nproc)" >"$results/asan-build.log" 2>&1; then
  echo "build/asan built in $(( $(date +%s) - t_asan )) s"
  ctest --test-dir build/asan --output-on-failure -j "$(nproc)" --output-junit "$results/ctest-asan.xml" || status=1
else
  grep -v '^\[' "$results/asan-build.log" | tail -40
  echo "build/asan failed (log: $results/asan-build.log)"
  status=1
fi

stage "fuzzers (libFuzzer, 30 s each)"
# espeak_dictionary_fuzz has one open finding (a dictionary naming phoneme codes the phoneme
# table lacks; docs/security.md): reported as skipped with that reason until the check covers it.
bash scripts/fuzz.sh --seconds 30 --jobs "$(nproc)" --summary "$results/fuzz.json" \
  --skip "espeak_dictionary_fuzz=open finding: dictionaries naming undefined phoneme codes (docs/security.md)" || status=1
echo "hardening suites took $(( $(date +%s) - t_asan )) s"

stage "summary"
printf '%s\n' "${stage_times[@]}"
node scripts/test_summary.mjs "$results" lint native node browser firefox webkit package asan fuzz || status=1
exit $status
