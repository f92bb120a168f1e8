#!/usr/bin/env bash
# One index of the suites' Indexed Job: shard JOB_COMPLETION_INDEX of ATTEST_TOTAL_SHARDS of every
# suite binary (attest reads both variables itself), results into ATTEST_RESULTS_DIR/index-<i>/.
# The Job's container runs it (ci/k8s/manifests/test-runner-job.yaml), and so does the local
# simulation of the Job (ci/k8s/simulate-job.sh).
#
# Environment:
#   JOB_COMPLETION_INDEX, ATTEST_TOTAL_SHARDS   which shard (set by Kubernetes / the Job spec)
#   ATTEST_SUITES        the test binaries, space-separated (default: those listed, one per
#                        line, in ATTEST_SUITES_FILE, default /opt/attest/suites.txt)
#   ATTEST_CONFIG        attest.json for them (default /opt/attest/attest.json)
#   ATTEST_RESULTS_DIR   where results go (default ./results)
#   ATTEST_RESULTS_TO_STDOUT=1   also print them, framed, for collect-results.sh (completed pods
#                                cannot be copied from, their logs can be read)
#   ATTEST_ARGS          more arguments for every binary (e.g. -m "not slow")
# Exit: 0 when every suite passed (or had nothing in this shard); else the highest of their
# exit codes (1 tests failed, 2 usage error, 5 nothing selected, 137 killed).
set -uo pipefail

index=${JOB_COMPLETION_INDEX:?JOB_COMPLETION_INDEX is not set (the Job sets it)}
total=${ATTEST_TOTAL_SHARDS:?ATTEST_TOTAL_SHARDS is not set}
suites=${ATTEST_SUITES:-}
list=${ATTEST_SUITES_FILE:-/opt/attest/suites.txt}
if [ -z "$suites" ] && [ -f "$list" ]; then
  suites=$(tr '\n' ' ' < "$list")
fi
[ -n "$suites" ] || { echo "run-shard: no suites (set ATTEST_SUITES)" >&2; exit 2; }
config=${ATTEST_CONFIG:-/opt/attest/attest.json}
out=${ATTEST_RESULTS_DIR:-results}/index-$index
mkdir -p "$out"

echo "run-shard: index $index of $total: $suites"
code=0
for bin in $suites; do
  name=$(basename "$bin")
  # shellcheck disable=SC2086  # ATTEST_ARGS is a list of words by design
  "$bin" --config "$config" --report-json "$out/$name.json" --junitxml "$out/$name.xml" \
    -q ${ATTEST_ARGS:-}
  rc=$?
  echo "run-shard: $name exited $rc"
  [ "$rc" -gt "$code" ] && code=$rc
done

if [ "${ATTEST_RESULTS_TO_STDOUT:-0}" = 1 ]; then
  echo "==> attest-results index=$index <=="
  tar -C "$out" -czf - . | base64 -w0
  echo
  echo "==> end attest-results <=="
fi
exit "$code"
