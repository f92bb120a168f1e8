# attest — developer and CI entry points. `make help` lists them.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST = ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

.PHONY: help deps configure build release test test-unit test-integration test-e2e no-sleep demo check docs-check fuzz trace-check gate bench coverage install clean k8s-validate kind-up kind-down test-k8s images

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

DEPS ?= all
deps: ## install missing Debian packages (idempotent; root or sudo; DEPS=unit|integration|all)
	@bash ci/install-deps.sh $(DEPS)

# The test targets install only what they need (ci/install-deps.sh's profiles).
test-unit: DEPS = unit
test-integration: DEPS = integration

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja ## configure the CMake build in $(BUILD_DIR)

build: configure ## build the libraries, tools and suites
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build ## run every suite through CTest
	$(CTEST)

test-unit: configure ## run the unit suites (ci/test-unit.sh)
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash ci/test-unit.sh

test-integration: configure ## run the integration suites: real PostgreSQL, Redis, mocks, processes (ci/test-integration.sh)
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash ci/test-integration.sh

test-e2e: configure ## run the e2e suites: attest driven as users drive it (ci/test-e2e.sh)
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash ci/test-e2e.sh

demo: build ## the main job for now: show collection with markers, then run our suites by marker
	@echo "== attest's own unit tests, collected with markers and requirements"
	$(BUILD_DIR)/suites/unit/attest_unit_tests --config attest.json --collect-only
	@echo "== run the unit-marked tests, slowest 5 shown"
	$(BUILD_DIR)/suites/unit/attest_unit_tests --config attest.json -m "unit and not slow" --durations 5
	@echo "== run the e2e suite with JUnit and results JSON in $(BUILD_DIR)/results"
	$(BUILD_DIR)/suites/e2e/attest_e2e_tests --config attest.json -m e2e \
	  --junitxml $(BUILD_DIR)/results/e2e.xml --report-json $(BUILD_DIR)/results/e2e.json

no-sleep: ## test sources must poll, not sleep (suites/bench excepted)
	python3 ci/check-no-sleep.py suites docs/examples --exclude suites/bench

docs-check: ## TESTING.md snippets must be the compiled examples, verbatim
	python3 ci/check-doc-snippets.py TESTING.md

fuzz: deps ## build the libFuzzer targets (clang) and run each for FUZZ_SECONDS (default 15)
	bash ci/fuzz.sh $(BUILD_DIR) $(or $(FUZZ_SECONDS),15)

# The gate over attest's own suites: every test marked, every requirement of
# REQUIREMENTS.md covered, with the results the suites just wrote.
TRACE_CHECK = $(BUILD_DIR)/tools/trace-check --build-dir $(BUILD_DIR) --requirements REQUIREMENTS.md \
  --results $(BUILD_DIR)/results/*.json --threshold 100 \
  --format text --format html --output $(BUILD_DIR)/results/trace.html \
  --format markdown --output $(BUILD_DIR)/results/trace.md

gate:
	$(TRACE_CHECK)

trace-check: test ## run the suites, then the traceability gate over them (HTML in $(BUILD_DIR)/results)
	@$(MAKE) --no-print-directory gate

# Kubernetes: the manifests are validated offline against the official JSON schemas (strict:
# unknown fields fail) in $(K8S_SCHEMAS), then their cross-references, then the CI workflow.
K8S_SCHEMAS ?= ../shared/k8s-schemas
SHARDS ?= 4
k8s-validate: ## validate ci/k8s against the Kubernetes schemas, cross-references, and the CI workflow
	@test -f $(K8S_SCHEMAS)/validate.py || { echo "k8s-validate: no $(K8S_SCHEMAS)/validate.py (set K8S_SCHEMAS=DIR)"; exit 2; }
	python3 $(K8S_SCHEMAS)/validate.py --strict --schema-dir $(K8S_SCHEMAS) ci/k8s/manifests
	python3 ci/k8s/check-manifests.py ci/k8s/manifests
	python3 ci/check-workflows.py .github/workflows

# Containers: the engine (dockerd started when none answers) and the local test images, each
# built only when its inputs changed (suites/containers/README.md); IMAGES=NAME... for some.
images: ## start the Docker engine if needed, build the missing test images (ci/build-images.sh)
	bash ci/build-images.sh $(IMAGES)

kind-up: ## create a kind cluster, build and load the test image, start PostgreSQL and Redis
	bash ci/k8s/kind.sh up

kind-down: ## delete the kind cluster
	bash ci/k8s/kind.sh down

test-k8s: ## run the suites as an Indexed Job of SHARDS shards, collect every index, gate with trace-check
	SHARDS=$(SHARDS) bash ci/k8s/kind.sh test

check: docs-check no-sleep k8s-validate fuzz test ## everything CI runs: docs/k8s checks, fuzzers, all suites, the gate, attest's own coverage gate
	@$(MAKE) --no-print-directory gate
	@$(MAKE) --no-print-directory coverage

# What is measured or installed is built Release, in a directory of its own (a checkout's
# $(BUILD_DIR) is Debug unless CMAKE_FLAGS says otherwise).
RELEASE_DIR ?= build-release
release: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS)

bench: release ## benchmarks vs plain Boost.Test (minutes; not in CI); writes $(RELEASE_DIR)/bench
	suites/bench/run.sh $(RELEASE_DIR)

# attest measured by itself (in `make check`, so in CI): the unit suites built Debug (-O0: every
# line where the source has it, and half the compile time of -O3) with -DATTEST_COVERAGE=ON in $(COV_DIR), run
# with per-test coverage of attest's sources, the records merged by attest-cov, the HTML (every
# line with the tests and requirements reaching it) in $(COV_DIR)/self-coverage/index.html, and the
# gate at COV_LINES percent of lines (set from the measured value: docs/benchmarks.md).
COV_DIR ?= build-cov
COV_LINES ?= 58
COV_SUITES = attest_unit_tests attest_unit_coverage_tests attest_unit_async_tests
COV_SOURCES = $(foreach d,common traceability coverage fixtures framework,--cov=$(CURDIR)/$(d))
coverage: deps ## attest's unit suites with per-test coverage: HTML in $(COV_DIR)/self-coverage, gate at COV_LINES %
	cmake -S . -B $(COV_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DATTEST_COVERAGE=ON >/dev/null
	cmake --build $(COV_DIR) -j $(JOBS) --target $(COV_SUITES) attest-cov
	rm -rf $(COV_DIR)/self-coverage && mkdir -p $(COV_DIR)/self-coverage
	find $(COV_DIR) -name '*.gcda' -delete
	cd suites/unit && for t in $(COV_SUITES); do \
	  $(CURDIR)/$(COV_DIR)/suites/unit/$$t --config $(CURDIR)/attest.json -q $(COV_SOURCES) \
	    --cov-report=json:$(CURDIR)/$(COV_DIR)/self-coverage/$$t.json || exit 1; done
	$(COV_DIR)/tools/attest-cov $(COV_DIR)/self-coverage --root $(CURDIR) --cov-report term-missing \
	  --cov-report html:$(COV_DIR)/self-coverage/index.html --cov-fail-under=line=$(COV_LINES)

install: release ## build Release in $(RELEASE_DIR) and install it into PREFIX (default /usr/local)
	cmake --install $(RELEASE_DIR) $(if $(PREFIX),--prefix $(PREFIX))

clean: ## remove the build directory
	rm -rf $(BUILD_DIR)
