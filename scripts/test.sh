#!/usr/bin/env bash
# The whole suite: lint, native tests, wasm tests in headless Chromium, the page in Chromium.
# Used by CI (.ci/run) and by hand. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# wasm-bindgen-test-runner: drive Debian's chromedriver (options in webdriver.json).
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

SUITE_START=$(date +%s)
STAGE_START=$SUITE_START
STAGE_NAME=""
TIMINGS=()

stage() {
  local now
  now=$(date +%s)
  if [ -n "$STAGE_NAME" ]; then
    TIMINGS+=("$(printf '%5ss  %s' $((now - STAGE_START)) "$STAGE_NAME")")
  fi
  STAGE_NAME="$1"
  STAGE_START=$now
  echo
  echo "=== $1 ==="
}

finish() {
  local rc=$?
  local now
  now=$(date +%s)
  if [ -n "$STAGE_NAME" ]; then
    TIMINGS+=("$(printf '%5ss  %s%s' $((now - STAGE_START)) "$STAGE_NAME" "$([ $rc -ne 0 ] && echo '  (FAILED)')")")
  fi
  echo
  echo "=== stage times ==="
  printf '%s\n' "${TIMINGS[@]}"
  printf '%5ss  total\n' $((now - SUITE_START))
  exit $rc
}
trap finish EXIT

stage "setup"
bash scripts/setup.sh

stage "cargo fmt --check"
cargo fmt --all -- --check

stage "cargo clippy (native)"
cargo clippy --all-targets -- -D warnings

stage "cargo clippy (wasm32)"
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

stage "cargo test (native)"
cargo test

stage "cargo test (wasm32, headless Chromium)"
# Only tests/web.rs has browser tests; the other test targets are checked for wasm32 by clippy
# above, and linking each of them for the browser would add minutes.
cargo test --target wasm32-unknown-unknown --test web

stage "build (wasm-pack.toml → www/pkg)"
bash scripts/build.sh

stage "browser end-to-end tests (node --test tests/e2e/)"
node --test --test-concurrency=1 tests/e2e/
