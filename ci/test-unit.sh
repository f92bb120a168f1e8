#!/usr/bin/env bash
# Runs the unit suites (no services).
# usage: ci/test-unit.sh   (BUILD_DIR, default build; JOBS; results in BUILD_DIR/results)
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/build.sh
build=${BUILD_DIR:-build}
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-$(nproc)}" -L '^unit$'
