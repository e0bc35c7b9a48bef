#!/usr/bin/env bash
# Fuzzes the engine's input-facing code with cargo-fuzz (libFuzzer), one target at a time, each
# for a bounded time, and prints a table of executions, speed and result per target.
#
#   scripts/fuzz.sh                        # every target, 60 s each
#   FUZZ_SECONDS=10 scripts/fuzz.sh        # shorter
#   scripts/fuzz.sh calendar report        # only these targets
#
# Not part of CI (.ci/run): it takes minutes and all the CPU it gets. Targets live in fuzz/
# (fuzz/fuzz_targets/*.rs, with seeds in fuzz/seeds/ and dictionaries in fuzz/dicts/). The
# growing corpus is kept in fuzz/corpus/ and crashing inputs in fuzz/artifacts/ (both ignored
# by git): a crash found here becomes a test in tests/fuzz_regressions.rs with its input in
# tests/fixtures/fuzz/.
#
# cargo-fuzz needs nightly-only compiler flags (sanitizers, coverage instrumentation). On a
# stable toolchain RUSTC_BOOTSTRAP=1 lets the stable compiler accept them; on nightly it is
# harmless.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz (once; a few minutes)…"
    cargo install cargo-fuzz --locked
fi

all_targets=$(cargo fuzz list --fuzz-dir fuzz)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # shellcheck disable=SC2206
    targets=($all_targets)
fi

# Release build with debug assertions and overflow checks: an overflow on fuzzed input is a bug.
build_flags=(--fuzz-dir fuzz --release --debug-assertions)
mkdir -p fuzz/logs
echo "building fuzz targets…"
if ! cargo fuzz build "${build_flags[@]}" >fuzz/logs/build.log 2>&1; then
    tail -40 fuzz/logs/build.log
    exit 1
fi

# Seeds: the committed ones, the project's fixtures, and the third-party exports next to the
# project when present (read in place, never copied into the repository; only into the
# ignored corpus directory).
shared=../shared/data
seed_corpus() {
    local target=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    cp -n fuzz/seeds/"$target"/* "$dir"/ 2>/dev/null || true
    case "$target" in
        ingest_canonical | load_files)
            cp -n tests/fixtures/*.json "$dir"/ 2>/dev/null || true ;;
        stream_chunks)
            # The first byte picks the chunk sizes.
            local f
            for f in tests/fixtures/*.json; do
                [ -e "$dir/fixture_$(basename "$f")" ] || { printf '\x35'; cat "$f"; } > "$dir/fixture_$(basename "$f")"
            done ;;
    esac
    if [ -d "$shared" ]; then
        local f n=0
        while IFS= read -r -d '' f; do
            n=$((n + 1))
            case "$target" in
                load_files | csv) cp -n "$f" "$dir/shared_$n" ;;
                # The first byte picks the format; 12 is automatic detection.
                adapters) { printf '\x0c'; cat "$f"; } > "$dir/shared_$n" ;;
            esac
        done < <(find "$shared" -type f \( -name '*.json' -o -name '*.csv' \) -size -32k -print0)
    fi
}

dict_for() {
    case "$1" in
        csv) echo fuzz/dicts/csv.dict ;;
        time_parse) echo fuzz/dicts/time.dict ;;
        calendar) echo fuzz/dicts/calendar.dict ;;
        report) echo fuzz/dicts/report.dict ;;
        *) echo fuzz/dicts/json.dict ;;
    esac
}

results=()
failed=0
for t in "${targets[@]}"; do
    if ! grep -qx "$t" <<<"$all_targets"; then
        echo "unknown target $t (known: $(echo $all_targets))" >&2
        exit 2
    fi
    seed_corpus "$t"
    log=fuzz/logs/$t.log
    echo "fuzzing $t for ${seconds}s…"
    status=0
    cargo fuzz run "${build_flags[@]}" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
        -dict="$(dict_for "$t")" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # `|| true`: a run that died early has no stats, and that is reported, not fatal.
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        failed=1
        artifact=$(grep -o 'fuzz/artifacts/[^ ]*' "$log" | head -1 || true)
        kind=$(grep -oE 'panicked at [^ ]*|ERROR: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+|ParseDictionaryFile: [a-z ]+[0-9]+' "$log" | head -1 || true)
        result="FAILED (${kind:-exit $status}) ${artifact:-see $log}"
    fi
    results+=("$t|${execs:-?}|${rate:-?}|$result")
done

echo
printf '%-18s %14s %10s  %s\n' target executions exec/s result
for r in "${results[@]}"; do
    IFS='|' read -r t e s res <<<"$r"
    printf '%-18s %14s %10s  %s\n' "$t" "$e" "$s" "$res"
done
echo "(logs in fuzz/logs/; reproduce a crash with: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz TARGET ARTIFACT)"
exit "$failed"
