#!/usr/bin/env bash
# The suites on a local Kubernetes cluster (kind): make kind-up, make test-k8s, make kind-down.
#   kind.sh up     create the cluster (ci/k8s/kind-config.yaml), build the test image and load it,
#                  apply the namespace, a Secret with fresh random passwords, PostgreSQL and Redis,
#                  and wait until they are ready
#   kind.sh test   run the Indexed Job with SHARDS shards (default 4), wait, collect every index's
#                  results from the pod logs, and gate them with trace-check (its exit code)
#   kind.sh down   delete the cluster
# Needs docker, kind and kubectl: a missing one is named, exit 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
cluster=attest
ns=attest
image=attest-tests:local
shards=${SHARDS:-4}

need() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "kind.sh: ${missing[*]} not found. Install them: docker (https://docs.docker.com/engine/install/)," \
         "kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)," \
         "kubectl (https://kubernetes.io/docs/tasks/tools/)." >&2
    exit 2
  fi
}

random_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

case "${1:-}" in
  up)
    need docker kind kubectl
    kind get clusters | grep -qx "$cluster" || kind create cluster --config ci/k8s/kind-config.yaml
    docker build --force-rm -t "$image" .
    kind load docker-image "$image" --name "$cluster"
    kubectl apply -f ci/k8s/manifests/namespace.yaml
    # Fresh passwords, never written to the repository or a terminal.
    kubectl -n "$ns" create secret generic attest-credentials \
      --from-literal=postgres-password="$(random_password)" \
      --from-literal=redis-password="$(random_password)" \
      --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    kubectl apply -f ci/k8s/manifests/postgres.yaml -f ci/k8s/manifests/redis.yaml
    kubectl -n "$ns" rollout status statefulset/postgres --timeout=180s
    kubectl -n "$ns" rollout status deployment/redis --timeout=180s
    ;;
  test)
    need kubectl
    kubectl -n "$ns" delete job attest-tests --ignore-not-found
    # completions, parallelism and ATTEST_TOTAL_SHARDS always together.
    sed -e "s/^  completions: .*/  completions: $shards/" -e "s/^  parallelism: .*/  parallelism: $shards/" \
        -e "s/^  maxFailedIndexes: .*/  maxFailedIndexes: $shards/" \
        -e "/name: ATTEST_TOTAL_SHARDS/{n;s/value: .*/value: \"$shards\"/}" \
        ci/k8s/manifests/test-runner-job.yaml | kubectl apply -f -
    # Complete or Failed, whichever comes first.
    kubectl -n "$ns" wait job/attest-tests --for=condition=Complete --timeout=3600s &
    complete=$!
    kubectl -n "$ns" wait job/attest-tests --for=condition=Failed --timeout=3600s &
    failed=$!
    wait -n "$complete" "$failed" || true
    kill "$complete" "$failed" 2>/dev/null || true
    results=build/k8s-results
    rm -rf "$results"
    bash ci/k8s/collect-results.sh "$ns" attest-tests "$results"
    build/tools/trace-check --requirements REQUIREMENTS.md --results "$results" --threshold 100 \
      --format text --format markdown --output "$results/trace.md"
    ;;
  down)
    need kind
    kind delete cluster --name "$cluster"
    ;;
  *)
    echo "usage: kind.sh up|test|down" >&2
    exit 2
    ;;
esac
