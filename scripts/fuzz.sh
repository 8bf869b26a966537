#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: clang + ASan/UBSan, in build/asan next to the sanitized
# native tests) and runs each one for a fixed time on its committed seeds plus what earlier runs
# found.
#
#   bash scripts/fuzz.sh                         # every target, 30 s each
#   bash scripts/fuzz.sh --seconds 5 wav_encoder_fuzz
#   npm run fuzz -- --minutes 10                 # longer, locally
#   bash scripts/fuzz.sh --jobs 2 --summary build/test-results/fuzz.json   # what npm test runs
#   FUZZ_SEED=1234 bash scripts/fuzz.sh ...      # replay the mutation sequence of a logged run
#
# Every run draws a fresh random seed and logs it ("seed N"), so CI explores anew each time and a
# finding can be replayed. A target that executes fewer than --min-executions inputs (default
# 1000) fails: a fuzzer that starts and does nothing has tested nothing.
#
# Prints the executions of every target. A crash, leak, timeout or out-of-memory fails the run;
# the input that caused it is saved under build/fuzz/crashes/<target>/ (replay it with
# `build/asan/tests/fuzz/<target> <file>`), the fuzzer's output under build/fuzz/logs/<target>.log.
# New interesting inputs accumulate in build/fuzz/corpus/<target>/ (never in tests/fuzz/corpus).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=30
jobs=1
summary=""
min_execs=1000
targets=()
skips=()   # "target=reason": not run, reported as skipped with the reason
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --summary) summary=$2; shift 2 ;;
    --min-executions) min_execs=$2; shift 2 ;;
    --skip) skips+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("${1%.cpp}"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  for f in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
for t in "${targets[@]}"; do
  [ -f "tests/fuzz/$t.cpp" ] || { echo "fuzz.sh: no target $t (tests/fuzz/$t.cpp)" >&2; exit 2; }
done
# --skip TARGET=REASON: a target with a known, documented open finding is not run (it would only
# find it again) but is reported, with its reason, as skipped.
skip_rows=()
for entry in "${skips[@]}"; do
  name=${entry%%=*}; reason=${entry#*=}
  kept=()
  for t in "${targets[@]}"; do [ "$t" = "$name" ] || kept+=("$t"); done
  targets=("${kept[@]}")
  printf '  %-26s SKIP  %s\n' "$name" "$reason"
  skip_rows+=("{\"target\":\"$name\",\"ok\":true,\"executions\":0,\"seconds\":0,\"skipped\":\"${reason//\"/\\\"}\"}")
done
log() { printf '[fuzz] %s\n' "$*"; }
build=build/asan   # shared with the sanitizer ctest (one instrumented compile of the core)
out=build/fuzz     # corpus, crashes, logs

t0=$(date +%s)
if ! grep -qs '^AV_FUZZ:BOOL=ON' $build/CMakeCache.txt; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAV_SANITIZE=ON -DAV_FUZZ=ON >/dev/null || exit 1
fi
# Re-run the configure step: a new tests/fuzz/*_fuzz.cpp is found by its glob only then (a build
# of one named target does not check the glob first).
cmake -S . -B $build >/dev/null || exit 1
mkdir -p $out
if ! cmake --build $build -j "${JOBS:-2}" --target "${targets[@]}" >$out/build.log 2>&1; then
  grep -v '^\[' $out/build.log | tail -40
  log "build failed (full output: $out/build.log)"
  exit 1
fi
log "build done ($(( $(date +%s) - t0 )) s)"
# Seeds that are generated, not committed (small ONNX models and voice configs).
/usr/bin/python3 tests/fuzz/corpus/make_seeds.py --models "$out/seeds" || exit 1

# One logged seed per run (libFuzzer takes 1..2^32-1): random unless FUZZ_SEED replays a run.
seed=${FUZZ_SEED:-$(( $(od -An -N4 -tu4 /dev/urandom) % 4294967295 + 1 ))}
log "seed $seed (replay with FUZZ_SEED=$seed)"
seed_flag="-seed=$seed"

# One target: fresh crash folder, then run; a non-zero exit is a finding.
run_one() {
  local t=$1 crashes=$out/crashes/$1 corpus=$out/corpus/$1 logfile=$out/logs/$1.log
  rm -rf "$crashes" "$out/logs/$t.rc" && mkdir -p "$crashes" "$corpus" "$out/logs"
  local seeds=()
  [ -d "tests/fuzz/corpus/$t" ] && seeds=("tests/fuzz/corpus/$t")
  [ -d "$out/seeds/$t" ] && seeds+=("$out/seeds/$t")
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 ${seed_flag} \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" >"$logfile" 2>&1
  echo $? >"$out/logs/$t.rc"
}

log "running ${#targets[@]} target(s) for $seconds s each, $jobs at a time"
for t in "${targets[@]}"; do
  run_one "$t" 2>/dev/null &   # (bash would report each crashed fuzzer as "Aborted")
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
done
wait

status=0
rows=()
for t in "${targets[@]}"; do
  rc=$(cat "$out/logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/logs/$t.log" | awk '{print $2}' | tail -1)
  crash=$(ls "$out/crashes/$t" 2>/dev/null | head -1)
  if [ "$rc" = 0 ] && [ -z "$crash" ] && [ "${execs:-0}" -lt "$min_execs" ]; then
    status=1
    printf '  %-26s FAIL  %10s executions in %s s: fewer than %s\n' "$t" "${execs:-0}" "$seconds" "$min_execs"
    rows+=("{\"target\":\"$t\",\"ok\":false,\"executions\":${execs:-0},\"seconds\":$seconds,\"seed\":$seed}")
  elif [ "$rc" = 0 ] && [ -z "$crash" ]; then
    printf '  %-26s ok    %10s executions in %s s\n' "$t" "${execs:-?}" "$seconds"
    rows+=("{\"target\":\"$t\",\"ok\":true,\"executions\":${execs:-0},\"seconds\":$seconds,\"seed\":$seed}")
  else
    status=1
    printf '  %-26s FAIL  %10s executions; crasher: %s\n' "$t" "${execs:-?}" "${crash:+$out/crashes/$t/$crash}"
    grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant failed|untyped exception' "$out/logs/$t.log" | sed 's/^/      /'
    echo "      log: $out/logs/$t.log"
    # A finding on a CI machine is only reproducible from what it printed: small crashers go out
    # whole (base64; replay with `base64 -d > f && build/asan/tests/fuzz/<target> f`).
    if [ -n "$crash" ] && [ "$(stat -c %s "$out/crashes/$t/$crash")" -le 4096 ]; then
      echo "      input (base64): $(base64 -w0 "$out/crashes/$t/$crash")"
    fi
    rows+=("{\"target\":\"$t\",\"ok\":false,\"executions\":${execs:-0},\"seconds\":$seconds,\"seed\":$seed,\"crasher\":\"${crash:+$out/crashes/$t/$crash}\"}")
  fi
done
rows+=("${skip_rows[@]}")
if [ -n "$summary" ]; then
  mkdir -p "$(dirname "$summary")"
  (IFS=,; printf '{"seed":%s,"minExecutions":%s,"targets":[%s]}\n' "$seed" "$min_execs" "${rows[*]}") >"$summary"
fi
exit $status
