#!/usr/bin/env bash
# Configures (once) and builds attest and its suites in BUILD_DIR (default build).
# Every ci/test-*.sh calls it, so each runs alone on a fresh clone after ci/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
# A build unpacked from another CI job: a fresh checkout's newer timestamps must not rebuild it.
if [ "${ATTEST_PREBUILT:-0}" = 1 ]; then
  [ -f "$build/build.ninja" ] || { echo "build.sh: ATTEST_PREBUILT=1 but no $build/build.ninja" >&2; exit 2; }
  exit 0
fi
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja ${CMAKE_FLAGS:-}
# BUILD_TARGET: what the calling suite needs (attest-build-unit, attest-build-integration); all by default.
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${BUILD_TARGET:-all}"
