#!/usr/bin/env bash
# The suites' Indexed Job, simulated on one machine: SHARDS processes of ci/k8s/run-shard.sh
# (the Job container's script) at once, JOB_COMPLETION_INDEX=0..SHARDS-1, ATTEST_TOTAL_SHARDS=SHARDS,
# each retried as the Job's podFailurePolicy and backoffLimitPerIndex say: exit 1, 2 or 5 (the
# tests' verdict) fails the index at once; any other failure (137: killed, as an evicted or
# OOM-killed pod) is retried up to BACKOFF_LIMIT_PER_INDEX times.
#
# usage: simulate-job.sh SHARDS [BACKOFF_LIMIT_PER_INDEX]   (default 1; env as run-shard.sh)
#   ATTEST_SIMULATE_KILL=I[,J...]   the first attempt of these indexes dies by SIGKILL before
#                                   it runs anything (an infrastructure failure)
# Exit: 0 when every index succeeded, 1 when some index failed, 2 for bad arguments.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${1:-}
backoff=${2:-1}
[[ "$shards" =~ ^[1-9][0-9]*$ && "$backoff" =~ ^[0-9]+$ ]] || {
  echo "usage: simulate-job.sh SHARDS [BACKOFF_LIMIT_PER_INDEX]" >&2; exit 2; }
kill_first=",${ATTEST_SIMULATE_KILL:-},"

run_index() {
  local index=$1 attempt=0 rc
  while :; do
    if [ "$attempt" -eq 0 ] && [[ "$kill_first" == *",$index,"* ]]; then
      sh -c 'kill -KILL $$'  # the pod dies before its tests run
      rc=$?
    else
      JOB_COMPLETION_INDEX=$index ATTEST_TOTAL_SHARDS=$shards "$here/run-shard.sh"
      rc=$?
    fi
    echo "simulate-job: index $index attempt $((attempt + 1)): exit $rc"
    case $rc in
      0) return 0 ;;
      1|2|5) echo "simulate-job: index $index failed (FailIndex: the tests' verdict)"; return 1 ;;
    esac
    attempt=$((attempt + 1))
    if [ "$attempt" -gt "$backoff" ]; then
      echo "simulate-job: index $index failed (backoffLimitPerIndex $backoff reached)"
      return 1
    fi
  done
}

pids=()
for ((i = 0; i < shards; i++)); do
  run_index "$i" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=$((failed + 1))
done
echo "simulate-job: $((shards - failed)) of $shards indexes succeeded"
[ "$failed" -eq 0 ]
