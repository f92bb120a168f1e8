#!/usr/bin/env bash
# Installs attest's build and test dependencies from Debian 12's archive.
# Idempotent: packages already present are not downloaded again, and apt-get
# update runs only when something is missing.
# usage: ci/install-deps.sh [PROFILE]
#   unit         what building attest and its unit suites needs
#   integration  that, and the servers the integration suites start (PostgreSQL, Redis)
#   all          (default) everything `make check` uses: e2e tools, the container engine,
#                fuzzers, coverage, Chromium for the HTML reports, Node.js for MockServer's client
# `make test-unit` and `make test-integration` install only their profile: on a fresh Debian 12,
# 35 s of apt for `integration` against ~3 min for `all` (docs/benchmarks.md).
set -euo pipefail

profile=${1:-all}
case "$profile" in
  unit | integration | all) ;;
  *) echo "install-deps: unknown profile '$profile' (unit, integration or all)" >&2; exit 2 ;;
esac

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libboost-test1.81-dev libboost-json1.81-dev libboost-iostreams1.81-dev libboost1.81-dev
  libfmt-dev libcli11-dev libpqxx-dev libyaml-cpp-dev libhiredis-dev
  libarchive-dev librapidcheck-dev  # image build contexts (tar), property tests
  zlib1g-dev  # Clang's coverage mapping: compressed names
)
[ "$profile" = unit ] || packages+=(postgresql redis-server)
if [ "$profile" = all ]; then
packages+=(
  clang libclang-rt-14-dev llvm valgrind  # llvm: llvm-cov, llvm-profdata (the Clang coverage e2e)
  libboost1.81-doc  # Boost.Test's own example programs, for the side-by-side e2e suite
  chromium
  python3-yaml python3-jsonschema  # make k8s-validate: the Kubernetes schemas, the workflow check
  lcov gcovr ccache
  libxml2-utils  # xmllint: the e2e suite validates --junit-family=xunit2 against junit-10.xsd
  docker.io mmdebstrap  # containers: the engine (ci/start-dockerd.sh), images built from the Debian archive (ci/build-images.sh)
)

# Node.js and npm run MockServer's own JavaScript client against attest-mock (e2e); a machine
# may already have them from elsewhere (nodesource), and then Debian's would conflict.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
