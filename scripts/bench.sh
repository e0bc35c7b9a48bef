#!/usr/bin/env bash
# The benchmark of issue 6 (not a test: scripts/test.sh and CI never run it).
#
# Generates seeded exports (gen-sample JSON, and the same tickets as CSV), then in one headless
# Chromium times the widget against a plain-JS baseline, Arquero and DuckDB-WASM on the same
# data and KPI set, checks that their KPI numbers equal the widget's, prints one table, and
# runs the native engine bench (cargo bench --bench engine). See bench/README.md.
#
# Environment:
#   BENCH_SIZES=10000,100000,1000000   ticket counts (default all three; 1M takes minutes)
#   BENCH_CONTENDERS=ours,widget,ours-csv,plain,arquero,duckdb
#   BENCH_RUNS=20        re-filters per run
#   BENCH_REPEAT=auto    runs per row, medians reported (auto: 3 up to 100k tickets, else 1)
#   BENCH_PROFILE=1      profile the widget at the largest size (0: off)
#   BENCH_NATIVE=1       run cargo bench too (0: off); BENCH_TICKETS for its size
#   BENCH_KEEP=DIR       keep the generated data and results.json in DIR
#   CHROMIUM=/usr/bin/chromium
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-10000,100000,1000000}
CONTENDERS=${BENCH_CONTENDERS:-ours,widget,ours-csv,plain,arquero,duckdb}
RUNS=${BENCH_RUNS:-20}
REPEAT=${BENCH_REPEAT:-auto}
SEED=42
WEEKS=26

# npm dependencies (devDependencies of package.json); playwright-core downloads no browser.
if ! npm ls --depth=0 playwright-core arquero @duckdb/duckdb-wasm >/dev/null 2>&1; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
fi

scripts/build.sh

if [ -n "${BENCH_KEEP:-}" ]; then
  DATA=$BENCH_KEEP
  mkdir -p "$DATA"
else
  DATA=$(mktemp -d "${TMPDIR:-/tmp}/tk-bench-data.XXXXXX")
  trap 'rm -rf "$DATA"' EXIT
fi

cargo build --release --quiet --bin gen-sample
GEN="${CARGO_TARGET_DIR:-target}/release/gen-sample"
for n in ${SIZES//,/ }; do
  if [ ! -s "$DATA/tickets-$n.json" ]; then
    echo "bench: generating $n tickets (seed $SEED, $WEEKS weeks)"
    "$GEN" --tickets "$n" --seed "$SEED" --weeks "$WEEKS" --out "$DATA/tickets-$n.json"
  fi
  if [ ! -s "$DATA/tickets-$n.csv" ]; then
    node bench/to-csv.mjs "$DATA/tickets-$n.json" "$DATA/tickets-$n.csv"
  fi
done
# The page loads this copy, so a rebuild of www/pkg during the run cannot change it.
rm -rf "$DATA/pkg"
cp -r www/pkg "$DATA/pkg"

PROFILE=()
[ "${BENCH_PROFILE:-1}" != 0 ] && PROFILE=(--profile)
status=0
node bench/run.mjs --data "$DATA" --sizes "$SIZES" --contenders "$CONTENDERS" \
  --runs "$RUNS" --repeat "$REPEAT" "${PROFILE[@]}" --json "$DATA/results.json" || status=$?

if [ "${BENCH_NATIVE:-1}" != 0 ]; then
  echo
  echo "Native engine bench (cargo bench --bench engine):"
  cargo bench --quiet --bench engine 2>&1 | grep -v '^\s*$' || status=$?
fi
exit "$status"
