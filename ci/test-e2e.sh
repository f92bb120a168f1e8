#!/usr/bin/env bash
# Runs the e2e suites: attest driven from outside as users drive it (runner, trace-check,
# attest-env, downstream CMake projects).
# usage: ci/test-e2e.sh   (BUILD_DIR, default build; JOBS; results in BUILD_DIR/results)
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh
build=${BUILD_DIR:-build}
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-$(nproc)}" -L '^e2e$'
