#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a while, two at a time, then prints a summary.
# Not part of CI (the fuzz crate is its own workspace); the crashes it finds become regression
# tests under crates/*/tests and tests/fixtures/fuzz. docs/FUZZING.md records the runs.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
#   SECONDS  how long each target runs (300 when left out)
#   TARGET   delimited, workbook, json, parquet, rules (all when left out)
# Environment: JOBS (targets at once, 2), SANITIZER (address), FORK (1: fork mode, which goes on
# past crashes, out-of-memory and timeouts instead of stopping at the first), CARGO_TARGET_DIR
# ($HOME/.cache/wt-fuzz-target). Needs cargo-fuzz (`cargo install cargo-fuzz`); no nightly
# toolchain is needed: RUSTC_BOOTSTRAP=1 lets stable rustc take the sanitizer flags.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

seconds="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(delimited workbook json parquet rules)
fi
jobs="${JOBS:-2}"
sanitizer="${SANITIZER:-address}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wt-fuzz-target}"
# A bug is a panic, an abort, more than a second on a small input (two allowed here: the
# machine is shared) or more than about 1 GB. Leaks are not: Polars and rayon keep global pools.
limits=(-timeout=2 -rss_limit_mb=1024 -malloc_limit_mb=1024 -print_final_stats=1 -detect_leaks=0)
if [ "${FORK:-0}" = 1 ]; then
    limits+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi

echo "== build (${sanitizer})"
cargo fuzz build --sanitizer "$sanitizer"

if [ ! -d corpus ]; then
    echo "== seeds from tests/fixtures"
    python3 seeds.py corpus
fi
mkdir -p logs artifacts

run_one() {
    local target="$1"
    mkdir -p "corpus/$target" "artifacts/$target"
    cargo fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -artifact_prefix="artifacts/$target/" "${limits[@]}" \
        >"logs/$target.log" 2>&1 || true
}

echo "== run ${seconds} s each, ${jobs} at a time: ${targets[*]}"
running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

echo "== summary"
printf '%-10s %8s %12s %8s %8s\n' target seconds executions corpus findings
for target in "${targets[@]}"; do
    log="logs/$target.log"
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $5}' || true)
    found=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    corpus=$(find "corpus/$target" -type f | wc -l)
    printf '%-10s %8s %12s %8s %8s\n' "$target" "${secs:-?}" "${runs:-?}" "$corpus" "$found"
done
echo "(artifacts under fuzz/artifacts/<target>/, logs under fuzz/logs/)"
