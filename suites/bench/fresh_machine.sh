#!/usr/bin/env bash
# Time to green on a fresh machine (the friction issue, item 7): inside a fresh Debian 12 container
# with this repository mounted read-only at /src, install git and make, clone, check out COMMIT and
# time `make test-integration`.
# usage: docker run --rm --shm-size=4g -v "$PWD:/src:ro" -v "$PWD/suites/bench/fresh_machine.sh:/fresh.sh:ro" \
#          attest-debian:bookworm bash /fresh.sh COMMIT
set -e
export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s)
apt-get update -qq && apt-get install -y -qq --no-install-recommends git make ca-certificates >/dev/null 2>&1
T1=$(date +%s)
git clone -q file:///src /root/attest && cd /root/attest && git checkout -q "$1"
T2=$(date +%s)
make test-integration > /root/make.log 2>&1 || { tail -30 /root/make.log; echo "FAILED at $1"; }
T3=$(date +%s)
grep -E "tests passed|tests failed" /root/make.log | tail -1
echo "at $1: git+make apt: $((T1-T0)) s; clone: $((T2-T1)) s; make test-integration: $((T3-T2)) s; total $((T3-T0)) s"
