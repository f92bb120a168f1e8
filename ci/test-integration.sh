#!/usr/bin/env bash
# Runs the integration suites against real PostgreSQL, Redis, mock HTTP servers and processes,
# in one shared environment (CTest brings it up). With ATTEST_TOTAL_SHARDS and
# ATTEST_SHARD_INDEX set, every binary runs only its shard: a CI matrix job per shard.
# usage: ci/test-integration.sh   (BUILD_DIR, default build; JOBS; results in BUILD_DIR/results)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGET=${BUILD_TARGET:-attest-build-integration} bash ci/build.sh
build=${BUILD_DIR:-build}
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-$(nproc)}" -L '^integration$'
