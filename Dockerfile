# attest's test image: build stage (Debian 12, the packages ci/install-deps.sh installs), then a
# runtime stage with the test binaries, the tools (trace-check, attest-env, attest-mock) and
# runtime libraries only, run as a non-root user. `make kind-up` builds it as attest-tests:local;
# the Indexed Job (ci/k8s/manifests/test-runner-job.yaml) runs /opt/attest/ci/k8s/run-shard.sh.
#
# A project's own test image: build FROM this one's build stage (attest is installed in
# /usr/local there), or see TESTING.md, "Kubernetes", for the three lines that do it.
#
# BASE: the Debian 12 image both stages start from. Where no registry answers, build on the
# local base ci/build-images.sh makes from the Debian archive:
#   docker build --build-arg BASE=attest-debian:bookworm -t attest-tests:local .
# (No `# syntax=` line: the classic builder needs no frontend image from a registry.)
ARG BASE=debian:bookworm

FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      build-essential cmake ninja-build pkg-config git python3 ca-certificates \
      libboost-test1.81-dev libboost-json1.81-dev libboost-iostreams1.81-dev libboost1.81-dev \
      libfmt-dev libcli11-dev libpqxx-dev libyaml-cpp-dev libhiredis-dev \
      libarchive-dev librapidcheck-dev \
      postgresql redis-server nodejs \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src/attest
COPY . .
# Warnings are not errors here: the image runs the suites, CI's own build is the warnings gate
# (an optimised build on another compiler must not fail the image on a false positive).
# Only what the Job runs: the tools and the six suites (and what they need), not the e2e
# suites, the Boost examples or the docs' examples.
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTEST_WERROR=OFF \
    && cmake --build /build -j"$(nproc)" --target trace-check attest-env attest-mock \
         attest_unit_tests attest_integration_tests attest_postgres_tests attest_redis_tests \
         attest_mock_http_tests attest_ingester_tests \
    && install -m 0755 /build/tools/trace-check /build/tools/attest-env /build/tools/attest-mock \
         /usr/local/bin/
# The suites the Job shards, one binary per line (run-shard.sh reads the list).
RUN mkdir -p /opt/attest/bin \
    && for s in unit integration postgres redis mock_http ingester; do \
         cp /build/suites/*/attest_${s}_tests /opt/attest/bin/ && echo /opt/attest/bin/attest_${s}_tests; \
       done > /opt/attest/suites.txt

FROM ${BASE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
# Runtime libraries only (no compilers, no headers); PostgreSQL and Redis binaries because some
# integration tests start a local server themselves.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      libboost-test1.81.0 libboost-json1.81.0 libboost-iostreams1.81.0 \
      libfmt9 libpqxx-6.4 libyaml-cpp0.7 libhiredis0.14 libarchive13 \
      postgresql redis-server python3 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/trace-check /usr/local/bin/attest-env /usr/local/bin/attest-mock /usr/local/bin/
COPY --from=build /opt/attest /opt/attest
COPY --from=build /src/attest/ci/k8s/run-shard.sh /opt/attest/ci/k8s/run-shard.sh
COPY --from=build /src/attest/attest.json /src/attest/REQUIREMENTS.md /opt/attest/
# The suites' data (migrations, mock files) where the binaries were built to find it.
COPY --from=build /src/attest/suites /src/attest/suites
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /tmp attest
USER 10001:10001
WORKDIR /tmp
ENV ATTEST_CONFIG=/opt/attest/attest.json
ENTRYPOINT ["/opt/attest/ci/k8s/run-shard.sh"]
