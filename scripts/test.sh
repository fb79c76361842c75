#!/usr/bin/env bash
# The test command: install what is missing, check formatting, build
# everything (tests and benchmarks) with warnings as errors under ASan+UBSan,
# and run the whole suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
bash scripts/check-format.sh

build=build/ci
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTANDEM_WERROR=ON -DTANDEM_SANITIZE=ON -DTANDEM_BUILD_DESKTOP=ON \
    -DTANDEM_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 600
