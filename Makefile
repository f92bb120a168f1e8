# attest — developer and CI entry points. `make help` lists them.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST = ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

.PHONY: help deps configure build test test-unit test-integration test-e2e no-sleep demo check docs-check fuzz trace-check gate bench install clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## install missing Debian packages (idempotent; root or sudo)
	@bash ci/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja ## configure the CMake build in $(BUILD_DIR)

build: configure ## build the libraries, tools and suites
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build ## run every suite through CTest
	$(CTEST)

test-unit: build ## run the unit suite
	$(CTEST) -L unit

test-integration: build ## run the integration suites (real PostgreSQL, Redis, mock HTTP, processes)
	$(CTEST) -L integration

test-e2e: build ## run the e2e suite (runner as a user drives it, downstream find_package project)
	$(CTEST) -L e2e

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

check: docs-check no-sleep fuzz test ## everything CI runs: docs check, fuzzers, all suites, then the gate
	@$(MAKE) --no-print-directory gate

bench: build ## benchmarks vs plain Boost.Test (minutes; not in CI); writes $(BUILD_DIR)/bench
	suites/bench/run.sh $(BUILD_DIR)

install: build ## install into PREFIX (default /usr/local)
	cmake --install $(BUILD_DIR) $(if $(PREFIX),--prefix $(PREFIX))

clean: ## remove the build directory
	rm -rf $(BUILD_DIR)
