#!/usr/bin/env bash
# The distributable build (dist/, versioned files and the single-file variant): see
# scripts/dist.mjs. Builds www/pkg first when it is missing. scripts/build.sh runs this too.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f www/pkg/ticket_kpis_bg.wasm ]; then bash scripts/build.sh --no-dist; fi
exec node scripts/dist.mjs "$@"
