#!/usr/bin/env bash
# Brings a fresh Debian 12 machine to the point where `npm run build` and `npm test` work.
# Idempotent: every step checks first, so a second run on a ready machine takes seconds.
#
#   bash scripts/setup.sh            # everything
#   ESPEAK_TARBALL=/path/espeak-ng_1.52.0+dfsg.orig.tar.gz bash scripts/setup.sh   # offline override
#
# What it installs and why is listed in README.md ("Dependencies").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEPS=$ROOT/third_party
mkdir -p "$DEPS"

log() { printf '[setup] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
APT_PACKAGES=(
  emscripten            # emcc 3.1.6: the wasm build
  cmake g++ make        # native build + ctest
  libgtest-dev          # GoogleTest for the native suite
  nlohmann-json3-dev    # JSON in the C++ core (voice configs, store rows)
  libxxhash-dev xxhash  # XXH3 digest of cached voice parts (header-only); xxh128sum: the tests' oracle for it
  chromium              # browser tests (driven by playwright-core, never a downloaded browser)
  firefox-esr           # the same suites in Firefox (puppeteer-core over WebDriver BiDi)
  webkit2gtk-driver xvfb xauth   # and in WebKitGTK, Safari's engine (WebKitWebDriver + MiniBrowser under xvfb-run)
  pulseaudio            # a null-sink audio server: headless Firefox's Web Audio needs a device to run
  python3-torch python3-onnx python3-numpy   # generates the random-weight test voices
  sqlite3               # CLI used by tests to check exported databases
  dpkg-dev patch        # apt-get source; our espeak-ng patches
  unicode-data bzip2    # UnicodeData.txt (NFD tables are generated from it) + its conformance test
  clang-14 libclang-rt-14-dev   # libFuzzer + sanitizer runtimes: build/asan, scripts/fuzz.sh
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- espeak-ng 1.52.0 source (Debian trixie source package, verified by sha256) ----------------
ESPEAK_VERSION=1.52.0
ESPEAK_SHA256=d2a886bae3547a15c52801cb37e415230834a7ee7f9a57352b98d60454d97cea
ESPEAK_DIR=$DEPS/espeak-ng-$ESPEAK_VERSION
# Our patches (patches/espeak-ng-*.patch, each says why) are part of the source's identity: a tree
# unpacked with other patches is unpacked again.
PATCHES_ID=$(cat patches/espeak-ng-"$ESPEAK_VERSION"-*.patch 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$ESPEAK_DIR/.verified" ] || [ "$(cat "$ESPEAK_DIR/.verified")" != "$PATCHES_ID" ]; then
  tarball=${ESPEAK_TARBALL:-$DEPS/downloads/espeak-ng_${ESPEAK_VERSION}+dfsg.orig.tar.gz}
  if [ ! -f "$tarball" ]; then
    mkdir -p "$DEPS/downloads"
    # Same mirror as this machine's configured Debian archive; never a hard-coded host.
    uri=$(bash scripts/debian_mirror.sh)
    log "fetching espeak-ng $ESPEAK_VERSION source from $uri (trixie)"
    tmp=$(mktemp -d)
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" >"$tmp/trixie-src.sources"
    mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
    aptopts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$tmp" -o "Dir::State::Lists=$tmp/lists"
             -o "Dir::Cache=$tmp/cache" -o "APT::Sandbox::User=root")
    apt-get "${aptopts[@]}" update -qq
    (cd "$DEPS/downloads" && apt-get "${aptopts[@]}" source --download-only -qq "espeak-ng=${ESPEAK_VERSION}+dfsg-5")
    rm -rf "$tmp"
  fi
  echo "$ESPEAK_SHA256  $tarball" | sha256sum -c --quiet - || { echo "espeak-ng tarball hash mismatch: $tarball" >&2; exit 1; }
  rm -rf "$ESPEAK_DIR" && mkdir -p "$ESPEAK_DIR"
  tar xzf "$tarball" -C "$ESPEAK_DIR" --strip-components=1
  for p in patches/espeak-ng-"$ESPEAK_VERSION"-*.patch; do
    [ -f "$p" ] && patch -s -p1 -d "$ESPEAK_DIR" < "$p"
  done
  echo "$PATCHES_ID" > "$ESPEAK_DIR/.verified"
  log "espeak-ng $ESPEAK_VERSION unpacked"
fi

# --- SQLite amalgamation (from the better-sqlite3 npm tarball, pinned by hash) ----------------
SQLITE_PKG=better-sqlite3@12.11.1
SQLITE_TGZ_SHA256=ebf0ed75a7a59dbcb3b24bbd014ef49d9f15bc328e4adcbf516f2a8fadfa2835
SQLITE_C_SHA256=60d2f39a3726cd6b9021da6f4e868608d66fbb6528a9f513dc8ffcc640493422
SQLITE_DIR=$DEPS/sqlite
if [ ! -f "$SQLITE_DIR/sqlite3.c" ] || ! echo "$SQLITE_C_SHA256  $SQLITE_DIR/sqlite3.c" | sha256sum -c --quiet - >/dev/null 2>&1; then
  mkdir -p "$DEPS/downloads" "$SQLITE_DIR"
  tgz=$DEPS/downloads/better-sqlite3-12.11.1.tgz
  [ -f "$tgz" ] || (cd "$DEPS/downloads" && npm pack --silent "$SQLITE_PKG" >/dev/null)
  echo "$SQLITE_TGZ_SHA256  $tgz" | sha256sum -c --quiet -
  tmp=$(mktemp -d)
  tar xzf "$tgz" -C "$tmp" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  cp "$tmp"/package/deps/sqlite3/sqlite3.{c,h} "$SQLITE_DIR/"
  rm -rf "$tmp"
  echo "$SQLITE_C_SHA256  $SQLITE_DIR/sqlite3.c" | sha256sum -c --quiet -
  log "SQLite amalgamation 3.53.2 ready"
fi

# --- npm packages from the lock file -----------------------------------------------------------
# Keyed by the lock file's content, not its mtime: a fresh checkout (a clone, a git worktree)
# has a newer lock file without anything to install.
lock_sha=$(sha256sum package-lock.json | cut -c1-64)
if [ ! -f node_modules/.package-lock.json ] || [ "$(cat node_modules/.av-lock-sha256 2>/dev/null)" != "$lock_sha" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" > node_modules/.av-lock-sha256
fi
log "ready"
