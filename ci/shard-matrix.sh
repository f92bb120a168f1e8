#!/usr/bin/env bash
# Prints the shard matrix for N shards as a GitHub Actions output line: shards=[0,1,...,N-1].
# usage: ci/shard-matrix.sh N
set -euo pipefail
n=${1:?usage: ci/shard-matrix.sh N}
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "shard-matrix: N must be a positive number, not '$n'" >&2; exit 2; }
printf 'shards=['
for ((i = 0; i < n; i++)); do printf '%s%d' "$([ $i -gt 0 ] && echo ,)" "$i"; done
printf ']\n'
