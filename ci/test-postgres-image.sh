#!/usr/bin/env bash
# The PostgreSQL suite against a PostgreSQL from an image, ATTEST_POSTGRES_IMAGE the one switch
# (postgres:15, postgres:17, pgvector/pgvector:pg17, your platform's own): every test's database,
# template, role and extension comes from a container of it. The CI matrix runs it once per image.
# Needs a container engine (DOCKER_HOST or /var/run/docker.sock) whose published ports are on this
# machine's loopback.
# usage: ATTEST_POSTGRES_IMAGE=postgres:17 ci/test-postgres-image.sh   (BUILD_DIR; results in BUILD_DIR/results)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${ATTEST_POSTGRES_IMAGE:-}" ] || { echo "test-postgres-image.sh: set ATTEST_POSTGRES_IMAGE (postgres:17)" >&2; exit 2; }
BUILD_TARGET=attest_postgres_tests bash ci/build.sh
build=${BUILD_DIR:-build}
mkdir -p "$build/results"
# Run directly, not through CTest's shared environment: its PostgreSQL would win over the image.
name=$(echo "$ATTEST_POSTGRES_IMAGE" | tr -c 'A-Za-z0-9.\n' '-')
"$build/suites/integration/attest_postgres_tests" \
  --junitxml "$build/results/postgres-$name.xml" --report-json "$build/results/postgres-$name.json"
