#!/usr/bin/env bash
# A Compose file up to healthy: attest-env vs Debian's docker-compose, on the same file and
# engine, interleaved. Ours is suites/e2e/data/containers/docker-compose.test.yml: a database
# with a health check (interval 10s), a cache, a one-shot seed job and a service built from its
# Dockerfile behind the `integration` profile.
#   usage: compose_bench.sh ATTEST_ENV RUNS [FILE] [PROFILE]
#   docker-compose: `up -d` (it waits for depends_on conditions) and then every container with a
#   health check healthy; attest-env: `up` (it returns when every service is ready, health
#   checks passed). The images are built before the first run (a warm start for both).
set -euo pipefail
attest_env=${1:?usage: compose_bench.sh ATTEST_ENV RUNS [FILE] [PROFILE]}
runs=${2:?usage: compose_bench.sh ATTEST_ENV RUNS [FILE] [PROFILE]}
here=$(cd "$(dirname "$0")" && pwd)
file=${3:-$here/../e2e/data/containers/docker-compose.test.yml}
profile=${4:-integration}
command -v docker-compose >/dev/null || { echo "compose_bench: docker-compose not found (apt-get install docker-compose)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "compose_bench: RUNS must be a positive integer" >&2; exit 2; }
work=$(mktemp -d)
project=attestbench$$
trap 'docker-compose -p $project -f "$file" --profile "$profile" down -v >/dev/null 2>&1 || true; "$attest_env" --dir "$work/env" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
compose() { docker-compose -p $project -f "$file" --profile "$profile" "$@"; }

compose build -q >/dev/null 2>&1
"$attest_env" --dir "$work/env" up -f "$file" --profile "$profile" >/dev/null && "$attest_env" --dir "$work/env" down >/dev/null

healthy() {  # every running container of the project that has a health check reports healthy
  local id status
  for id in $(compose ps -q); do
    status=$(docker inspect -f '{{if .State.Running}}{{if .State.Health}}{{.State.Health.Status}}{{end}}{{end}}' "$id")
    [ -z "$status" ] || [ "$status" = healthy ] || return 1
  done
}
a=() c=()
for i in $(seq 1 "$runs"); do
  t0=$(ms); "$attest_env" --dir "$work/env" up -f "$file" --profile "$profile" >/dev/null; t1=$(ms)
  "$attest_env" --dir "$work/env" down >/dev/null
  a+=($((t1 - t0)))
  t0=$(ms); compose up -d >/dev/null 2>&1
  until healthy; do sleep 0.05; done
  t1=$(ms)
  compose down -v >/dev/null 2>&1
  c+=($((t1 - t0)))
  echo "run $i: attest-env ${a[-1]} ms, docker-compose ${c[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${a[@]}") mc=$(median "${c[@]}")
echo "compose file up to healthy, $runs runs interleaved: attest-env p50 $ma ms, docker-compose p50 $mc ms, ratio $(awk "BEGIN {printf \"%.2f\", $ma / $mc}")x"
