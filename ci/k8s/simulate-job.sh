#!/usr/bin/env bash
# The suites' Indexed Job, simulated on one machine: SHARDS processes of ci/k8s/run-shard.sh
# (the Job container's script) at once, JOB_COMPLETION_INDEX=0..SHARDS-1, ATTEST_TOTAL_SHARDS=SHARDS,
# each retried as the Job's podFailurePolicy and backoffLimitPerIndex say: exit 1, 2 or 5 (the
# tests' verdict) fails the index at once; any other failure (137: killed, as an evicted or
# OOM-killed pod) is retried up to BACKOFF_LIMIT_PER_INDEX times.
#
# With --containers, each index is a container of the Job's image instead, under the pod's
# constraints as the manifests give them (ci/k8s/pod-to-docker.py: uid 10001, read-only root
# file system, a tmpfs per emptyDir, every capability dropped, no privilege escalation, the CPU
# and memory limits, the Job's environment with fresh passwords for its Secret), on a network of
# its own where PostgreSQL and Redis run as containers of the local test images under their
# Services' names (postgres.attest.svc.cluster.local, ...), started and probed as the manifests
# say. Each index's results are read back from its framed output (as `make test-k8s` reads pod
# logs) into ATTEST_RESULTS_DIR/index-<i>/, its log into ATTEST_RESULTS_DIR/index-<i>.log.
# Needs an engine (ci/start-dockerd.sh starts one) and the Job's image, ATTEST_JOB_IMAGE
# (default attest-tests:local; where no registry answers:
#   git archive HEAD | docker build --force-rm --build-arg BASE=attest-debian:bookworm -t attest-tests:local -);
# the service images are built when missing (ci/build-images.sh postgres15 redis).
#
# usage: simulate-job.sh [--containers] SHARDS [BACKOFF_LIMIT_PER_INDEX]   (default 1; env as run-shard.sh)
#   ATTEST_SIMULATE_KILL=I[,J...]   the first attempt of these indexes dies by SIGKILL before
#                                   it runs anything (an infrastructure failure)
# Exit: 0 when every index succeeded, 1 when some index failed, 2 for bad arguments (or, with
# --containers, no engine or no image).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
containers=0
if [ "${1:-}" = --containers ]; then
  containers=1
  shift
fi
shards=${1:-}
backoff=${2:-1}
[[ "$shards" =~ ^[1-9][0-9]*$ && "$backoff" =~ ^[0-9]+$ ]] || {
  echo "usage: simulate-job.sh [--containers] SHARDS [BACKOFF_LIMIT_PER_INDEX]" >&2; exit 2; }
kill_first=",${ATTEST_SIMULATE_KILL:-},"

run_on_host() {
  local index=$1 attempt=$2
  if [ "$attempt" -eq 0 ] && [[ "$kill_first" == *",$index,"* ]]; then
    sh -c 'kill -KILL $$'  # the pod dies before its tests run
  else
    JOB_COMPLETION_INDEX=$index ATTEST_TOTAL_SHARDS=$shards "$here/run-shard.sh"
  fi
}

# --containers: the services, a network, fresh passwords; everything labelled with this run's
# id and removed on exit, whatever happens.
manifests=$here/manifests
run_id=attest-simulate-$$
job_image=${ATTEST_JOB_IMAGE:-attest-tests:local}
results=${ATTEST_RESULTS_DIR:-results}
declare -A secret
pod_args() {  # KIND/NAME [more pod-to-docker.py options]: docker run's arguments, NUL-separated
  local workload=$1
  shift
  python3 "$here/pod-to-docker.py" "$manifests" "$workload" \
    --secret "postgres-password=${secret[postgres-password]}" \
    --secret "redis-password=${secret[redis-password]}" \
    --image postgres:15-bookworm=attest-test/postgres15:latest-local \
    --image redis:7-bookworm=attest-test/redis:latest-local "$@"
}

remove_containers() {
  local ids
  ids=$(docker ps -aq --filter "label=attest.simulate=$run_id" 2>/dev/null)
  # shellcheck disable=SC2086  # one id per word
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
  docker network rm "$run_id" >/dev/null 2>&1
  return 0
}

start_services() {
  "$here/../start-dockerd.sh" >/dev/null || exit 2
  docker image inspect "$job_image" >/dev/null 2>&1 || {
    echo "simulate-job: no image $job_image; build it: git archive HEAD | docker build --force-rm" \
      "--build-arg BASE=attest-debian:bookworm -t $job_image -" >&2
    exit 2
  }
  "$here/../build-images.sh" postgres15 redis || exit 2
  local key
  for key in postgres-password redis-password; do
    secret[$key]=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
  done
  trap remove_containers EXIT
  trap 'exit 130' INT TERM
  docker network create --label "attest.simulate=$run_id" "$run_id" >/dev/null || exit 2
  local workload name run_args probe deadline
  for workload in StatefulSet/postgres Deployment/redis; do
    name=$run_id-${workload#*/}
    mapfile -d '' -t run_args < <(pod_args "$workload" --nul run)
    mapfile -d '' -t probe < <(pod_args "$workload" --nul readiness)
    [ ${#run_args[@]} -gt 0 ] || exit 2
    docker run -d --name "$name" --label "attest.simulate=$run_id" --network "$run_id" \
      "${run_args[@]}" >/dev/null || exit 2
    # The readinessProbe, by docker exec: 60 s, as periodSeconds × failureThreshold.
    deadline=$((SECONDS + 60))
    until docker exec "$name" "${probe[@]}" >/dev/null 2>&1; do
      if [ "$SECONDS" -ge "$deadline" ] || [ "$(docker inspect -f '{{.State.Running}}' "$name")" != true ]; then
        echo "simulate-job: $workload is not ready; its log:" >&2
        docker logs --tail 20 "$name" >&2
        exit 2
      fi
      sleep 0.1
    done
    echo "simulate-job: $workload ready (container $name)"
  done
}

run_in_container() {
  local index=$1 attempt=$2 name=$run_id-index-$1-$2 run_args rc extra=()
  [ -n "${ATTEST_ARGS:-}" ] && extra=(--env "ATTEST_ARGS=$ATTEST_ARGS")
  mapfile -d '' -t run_args < <(pod_args Job/attest-tests --index "$index" \
    --env "ATTEST_TOTAL_SHARDS=$shards" "${extra[@]}" --image "attest-tests:local=$job_image" --nul run)
  docker run -d --name "$name" --label "attest.simulate=$run_id" --network "$run_id" \
    "${run_args[@]}" >/dev/null || return 125
  if [ "$attempt" -eq 0 ] && [[ "$kill_first" == *",$index,"* ]]; then
    docker kill "$name" >/dev/null  # the pod dies before its tests run
  fi
  rc=$(docker wait "$name")
  mkdir -p "$results"
  docker logs "$name" >"$results/index-$index.log" 2>&1
  docker rm -f "$name" >/dev/null
  # The tests' own output, without the framed results, which go to index-<i>/.
  sed '/^==> attest-results /,/^==> end attest-results <==/d' "$results/index-$index.log"
  if grep -q '^==> attest-results ' "$results/index-$index.log"; then
    rm -rf "${results:?}/index-$index" && mkdir -p "$results/index-$index"
    sed -n '/^==> attest-results /,/^==> end attest-results <==/p' "$results/index-$index.log" |
      sed '1d;$d' | base64 -d | tar -xzf - -C "$results/index-$index"
  fi
  return "$rc"
}

run_index() {
  local index=$1 attempt=0 rc
  while :; do
    if [ "$containers" = 1 ]; then
      run_in_container "$index" "$attempt"
    else
      run_on_host "$index" "$attempt"
    fi
    rc=$?
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

[ "$containers" = 1 ] && start_services
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
