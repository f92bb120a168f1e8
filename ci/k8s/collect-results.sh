#!/usr/bin/env bash
# Reads every pod's framed results (run-shard.sh with ATTEST_RESULTS_TO_STDOUT=1) back from the
# Job's pod logs into OUT_DIR/<pod>/, retried pods included: trace-check merges them.
# usage: collect-results.sh NAMESPACE JOB OUT_DIR
set -euo pipefail
ns=$1 job=$2 out=$3
mkdir -p "$out"
found=0
for pod in $(kubectl -n "$ns" get pods -l "job-name=$job" -o name); do
  name=${pod#pod/}
  data=$(kubectl -n "$ns" logs "$pod" | sed -n '/^==> attest-results /,/^==> end attest-results <==/p' | sed '1d;$d')
  [ -n "$data" ] || { echo "collect-results: $name printed no results"; continue; }
  mkdir -p "$out/$name"
  printf '%s' "$data" | base64 -d | tar -xzf - -C "$out/$name"
  found=$((found + 1))
done
echo "collect-results: results of $found pod(s) in $out"
[ "$found" -gt 0 ]
