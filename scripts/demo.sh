#!/usr/bin/env bash
# Installs what is missing, builds the wasm package and serves www/ on 127.0.0.1.
# The port is $PORT, or a free one chosen by the system; the URL is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh --no-dist
exec node scripts/serve.mjs www "${PORT:-0}"
