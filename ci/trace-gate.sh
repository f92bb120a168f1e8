#!/usr/bin/env bash
# The traceability gate over every results file below RESULTS_DIR (all shards and jobs, merged:
# the worst outcome of a test wins, flaky passes are named). On GitHub Actions it also writes
# annotations (--format github) and the Markdown summary of the run ($GITHUB_STEP_SUMMARY).
# usage: ci/trace-gate.sh RESULTS_DIR   (BUILD_DIR, default build, holds trace-check)
set -euo pipefail
cd "$(dirname "$0")/.."
results=${1:?usage: ci/trace-gate.sh RESULTS_DIR}
build=${BUILD_DIR:-build}
args=(--requirements REQUIREMENTS.md --results "$results" --threshold 100 --format text)
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  args+=(--format github --format markdown --output "$GITHUB_STEP_SUMMARY")
fi
"$build/tools/trace-check" "${args[@]}"
