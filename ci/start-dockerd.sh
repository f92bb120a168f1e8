#!/usr/bin/env bash
# Makes sure a Docker Engine answers on this machine, starting Debian's dockerd (docker.io) when
# none does: CI machines have no systemd, and may be brand new. Idempotent and safe to call from
# several scripts at once (a lock serialises the start; whoever comes second finds it running).
#
# The engine keeps its default data root, /var/lib/docker, so the images ci/build-images.sh
# builds stay cached on a machine from one CI run to the next.
#
# usage: start-dockerd.sh
#   DOCKER_HOST               an engine elsewhere: only checked, never started
#   ATTEST_DOCKERD_LOG        dockerd's log (default /var/log/attest-dockerd.log)
#   ATTEST_DOCKERD_TIMEOUT    seconds to wait for it to answer (default 30)
# Exit: 0 when an engine answers (its version printed), 1 when it does not come up (the log's
# tail printed), 2 when it cannot be started here (not root, no dockerd).
set -euo pipefail

socket=/var/run/docker.sock
log=${ATTEST_DOCKERD_LOG:-/var/log/attest-dockerd.log}
timeout=${ATTEST_DOCKERD_TIMEOUT:-30}

# Asks the engine itself: /usr/local/bin/docker may be a static client that exists (and fails)
# without any engine, so the client's presence proves nothing. GET /_ping's headers also name
# the engine's version, so one request both checks and reports (the client takes ~10x longer).
version=""
answers() {
  if [ -n "${DOCKER_HOST:-}" ] || ! command -v curl >/dev/null; then
    version=$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null)
    return
  fi
  [ -S "$socket" ] || return 1
  local reply
  reply=$(curl -s -i --max-time 2 --unix-socket "$socket" http://localhost/_ping | tr -d '\r') || return 1
  [ "$(tail -n 1 <<<"$reply")" = OK ] || return 1
  version="$(sed -n 's|^Server: Docker/\([^ ]*\).*|\1|p' <<<"$reply") (API $(sed -n 's/^Api-Version: //p' <<<"$reply"))"
}

report() {
  echo "start-dockerd: engine $version at ${DOCKER_HOST:-unix://$socket}$1"
}

if answers; then
  report ""
  exit 0
fi
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "start-dockerd: DOCKER_HOST=$DOCKER_HOST does not answer (an engine elsewhere is not started here)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "start-dockerd: no engine answers on $socket, and starting dockerd needs root" >&2
  exit 2
fi
command -v dockerd >/dev/null || {
  echo "start-dockerd: no engine answers and there is no dockerd (install docker.io: ci/install-deps.sh)" >&2
  exit 2
}

wait_until_up() {
  local deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    answers && return 0
    # A dockerd that died will not come up: say so now, not after the timeout.
    [ -n "${1:-}" ] && ! kill -0 "$1" 2>/dev/null && return 1
    sleep 0.1
  done
  answers
}

exec 9>/var/lock/attest-dockerd.lock
flock 9
started=""
if ! answers; then
  # A dockerd another caller started (its pid file names a live dockerd) only needs waiting for.
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
    mkdir -p "$(dirname "$log")"
    echo "start-dockerd: starting dockerd (overlay2, /var/lib/docker), log in $log"
    # setsid: the engine outlives the CI script (and its process group) that started it.
    setsid dockerd --storage-driver=overlay2 --data-root=/var/lib/docker --host="unix://$socket" \
      </dev/null >>"$log" 2>&1 &
    pid=$!
    started=" (started, pid $pid, log $log)"
  fi
  if ! wait_until_up "$pid"; then
    echo "start-dockerd: dockerd did not answer within ${timeout}s; the end of $log:" >&2
    tail -n 30 "$log" >&2 || true
    exit 1
  fi
fi
report "$started"
