#!/usr/bin/env bash
# Installs everything the build and the tests need, on a fresh Debian machine or this one.
# Idempotent: each step is skipped when its tool is already there at the right version.
#   - Rust target wasm32-unknown-unknown, clippy, rustfmt
#   - wasm-bindgen CLI (and wasm-bindgen-test-runner) exactly at the crate's wasm-bindgen version
#   - Debian's chromium + chromium-driver (the browser tests drive these; no browser downloads)
#   - python3 (reads wasm-pack.toml), node + npm
#   - npm playwright-core from package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "$@"
}

# --- Debian packages --------------------------------------------------------------------------
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing chromium and chromium-driver"
  apt_install chromium chromium-driver
fi
if ! command -v python3 >/dev/null || ! python3 -c 'import tomllib' 2>/dev/null; then
  echo "setup: installing python3 (≥ 3.11 for tomllib)"
  apt_install python3
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing nodejs and npm"
  apt_install nodejs npm
fi
if ! command -v gzip >/dev/null; then apt_install gzip; fi

# --- Rust -------------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for comp in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$comp"; then
    echo "setup: adding rustup component $comp"
    rustup component add "$comp"
  fi
done
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# --- npm --------------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on install; reinstall when the lock file is newer or
# playwright-core is missing.
if [ ! -f node_modules/playwright-core/package.json ] ||
  [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (playwright-core; no browser download)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

echo "setup: ok ($(wasm-bindgen --version), $(/usr/bin/chromium --version 2>/dev/null | head -1), node $(node --version), playwright-core $(node -p "require('./node_modules/playwright-core/package.json').version"))"
