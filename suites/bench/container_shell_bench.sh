#!/usr/bin/env bash
# Baseline for attest::Container: a PostgreSQL container from create to ready, by hand, the way a
# shell script does it — `docker run -d -p 127.0.0.1::5432`, `docker port`, then `pg_isready`
# every 10 ms until it accepts connections — N times; prints p50/p90 of the whole and of its
# parts. The C++ benchmark of attest::Container is compared against these figures.
#
# usage: container_shell_bench.sh [RUNS] [IMAGE]
#   RUNS    default 10
#   IMAGE   default attest-test/postgres15:latest-local (ci/build-images.sh postgres15)
# Needs: a Docker Engine (ci/start-dockerd.sh), pg_isready on the host (postgresql-client).
# Exit: 0 with the figures, 1 when a container did not become ready in 60 s, 2 for bad arguments.
set -euo pipefail

runs=${1:-10}
image=${2:-attest-test/postgres15:latest-local}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: container_shell_bench.sh [RUNS] [IMAGE]" >&2; exit 2; }
pg_isready=$(command -v pg_isready || ls /usr/lib/postgresql/*/bin/pg_isready 2>/dev/null | tail -1)
[ -x "$pg_isready" ] || { echo "container_shell_bench: no pg_isready (apt-get install postgresql-client)" >&2; exit 2; }
docker image inspect "$image" >/dev/null 2>&1 || {
  echo "container_shell_bench: no image $image (ci/build-images.sh)" >&2; exit 2; }

label=attest.bench=container-shell-$$
cleanup() {
  local ids
  ids=$(docker ps -aq --filter "label=$label" 2>/dev/null || true)
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
}
trap cleanup EXIT

now_ns() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

totals=() runs_ms=() ports_ms=() readies_ms=() removes_ms=()
for ((i = 1; i <= runs; i++)); do
  t0=$(now_ns)
  id=$(docker run -d --label "$label" -p 127.0.0.1::5432 -e POSTGRES_PASSWORD=bench "$image")
  t1=$(now_ns)
  port=$(docker port "$id" 5432/tcp | head -1)
  port=${port##*:}
  t2=$(now_ns)
  deadline=$((t2 + 60000000000))
  until "$pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -t 1; do
    if [ "$(now_ns)" -gt "$deadline" ]; then
      echo "container_shell_bench: run $i: not ready after 60 s; its log:" >&2
      docker logs "$id" 2>&1 | tail -n 20 >&2
      exit 1
    fi
    sleep 0.01
  done
  t3=$(now_ns)
  docker rm -f "$id" >/dev/null
  t4=$(now_ns)
  runs_ms+=("$(ms "$t0" "$t1")") ports_ms+=("$(ms "$t1" "$t2")") readies_ms+=("$(ms "$t2" "$t3")")
  totals+=("$(ms "$t0" "$t3")") removes_ms+=("$(ms "$t3" "$t4")")
  echo "run $i: ready in ${totals[-1]} ms (docker run ${runs_ms[-1]}, port ${ports_ms[-1]}, pg_isready loop ${readies_ms[-1]}; rm -f ${removes_ms[-1]})"
done

# Nearest-rank percentiles.
percentiles() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
    END { p50 = v[int((NR * 50 + 99) / 100)]; p90 = v[int((NR * 90 + 99) / 100)]
          printf "p50 %8.1f ms   p90 %8.1f ms", p50, p90 }'
}
echo "container_shell_bench: $image, $runs runs, pg_isready every 10 ms"
echo "  create -> ready : $(percentiles "${totals[@]}")"
echo "  docker run -d   : $(percentiles "${runs_ms[@]}")"
echo "  docker port     : $(percentiles "${ports_ms[@]}")"
echo "  pg_isready loop : $(percentiles "${readies_ms[@]}")"
echo "  docker rm -f    : $(percentiles "${removes_ms[@]}")"
