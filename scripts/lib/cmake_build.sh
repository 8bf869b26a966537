# Sourced by scripts/build.sh (and tests/js/build_script.test.ts).
# cmake_build DIR [ARGS...]: builds DIR, shows the compiler's messages without cmake's
# "[ 42%] Building ..." progress lines, and returns cmake's own exit status: a failed compile must
# stop the build (a filter that swallowed it once let the tests run against stale binaries).
cmake_build() {
  local dir=$1; shift
  local status
  # pipefail makes the pipeline's status cmake's; the filter itself never fails (grep -v exits 1
  # when every line was progress, which is success here).
  set -o pipefail
  cmake --build "$dir" "$@" 2>&1 | { grep -v '^\[' || true; }
  status=$?
  if ((status != 0)); then
    printf '[build] FAILED: cmake --build %s (exit %d)\n' "$dir" "$status" >&2
  fi
  return "$status"
}
