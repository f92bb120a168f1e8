#!/usr/bin/env bash
# Runs the unit suites (no services).
# usage: ci/test-unit.sh   (BUILD_DIR, default build; JOBS; results in BUILD_DIR/results)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGET=${BUILD_TARGET:-attest-build-unit} bash ci/build.sh
build=${BUILD_DIR:-build}
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-$(nproc)}" -L '^unit$'
