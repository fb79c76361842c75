#!/usr/bin/env bash
# Builds the CRDT decoder fuzzer with clang (libFuzzer + ASan + UBSan) and
# runs it for N seconds (default 300) on a copy of the seed corpus.
#   scripts/fuzz-crdt.sh [seconds] [jobs]
# New inputs are kept in build/crdt-fuzz/corpus; crashes are written to
# build/crdt-fuzz/artifacts. Add a reproducer to tests/fuzz/corpus to make
# tst_fuzzcorpus replay it in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-300}
jobs=${2:-1}
build=build/crdt-fuzz

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
    -DTANDEM_SANITIZE=ON -DTANDEM_WERROR=ON -DTANDEM_BUILD_FUZZERS=ON \
    -DTANDEM_BUILD_DESKTOP=OFF -DTANDEM_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target fuzz_update_decoder -j2

mkdir -p "$build/corpus" "$build/artifacts"
cp -n tests/fuzz/corpus/* "$build/corpus/" 2>/dev/null || true
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
parallel=()
((jobs > 1)) && parallel=(-jobs="$jobs" -workers="$jobs") # each job logs to fuzz-N.log in $build
cd "$build"
./tests/fuzz/fuzz_update_decoder corpus -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=artifacts/ -print_final_stats=1 "${parallel[@]}"
