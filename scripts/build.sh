#!/usr/bin/env bash
# Builds the browser package as configured in wasm-pack.toml:
#   cargo build --target wasm32-unknown-unknown --profile <profile> --lib
#   wasm-bindgen --target <target> --out-dir <out-dir> --out-name <out-name> --no-typescript
#                [--remove-name-section --remove-producers-section]  (unless keep-names = true) …
# then prints the raw and gzipped sizes of the .wasm and the .js glue, and makes the
# distributable build in dist/ (scripts/dist.mjs: versioned files, the single-file variant,
# wasm-opt -Oz) unless called with --no-dist.
set -euo pipefail
DIST=1
[ "${1:-}" = "--no-dist" ] && DIST=
cd "$(dirname "$0")/.."

# Read [build] from wasm-pack.toml (python3 ≥ 3.11 has tomllib).
read -r TARGET OUT_DIR OUT_NAME PROFILE NAMES < <(python3 - <<'PY'
import tomllib
with open("wasm-pack.toml", "rb") as f:
    b = tomllib.load(f).get("build", {})
vals = [b.get("target", "web"), b.get("out-dir", "www/pkg"),
        b.get("out-name", "ticket_kpis"), b.get("profile", "release")]
for v in vals:
    if not isinstance(v, str) or not v or any(c.isspace() for c in v):
        raise SystemExit(f"wasm-pack.toml: bad [build] value {v!r}")
names = b.get("keep-names", False)
if not isinstance(names, bool):
    raise SystemExit(f"wasm-pack.toml: keep-names should be true or false, found {names!r}")
print(*vals, "keep" if names else "remove")
PY
)

# Cargo puts the "dev" profile in target/…/debug; every other profile in a folder of its name.
PROFILE_DIR="$PROFILE"
[ "$PROFILE" = "dev" ] && PROFILE_DIR=debug
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
CRATE=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["name"].replace("-","_"))')
WASM_IN="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE_DIR/$CRATE.wasm"

# The wasm's "name" section (function names in the stack traces the browser prints; a third of
# the .wasm) only when wasm-pack.toml asks for it: panic messages do not need it.
STRIP=()
[ "$NAMES" = remove ] && STRIP=(--remove-name-section --remove-producers-section)

echo "build: target=$TARGET out-dir=$OUT_DIR out-name=$OUT_NAME profile=$PROFILE names=$NAMES"
cargo build --target wasm32-unknown-unknown --profile "$PROFILE" --lib
rm -rf "$OUT_DIR"
wasm-bindgen --target "$TARGET" --out-dir "$OUT_DIR" --out-name "$OUT_NAME" --no-typescript \
  "${STRIP[@]}" "$WASM_IN"

size_line() {
  local f=$1
  printf '  %-32s %9d bytes raw  %9d bytes gzip -9\n' "$(basename "$f")" \
    "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
}
echo "sizes ($OUT_DIR):"
size_line "$OUT_DIR/${OUT_NAME}_bg.wasm"
size_line "$OUT_DIR/${OUT_NAME}.js"

if [ -n "$DIST" ]; then
  node scripts/dist.mjs
fi
