#!/usr/bin/env python3
"""Suite scale, side by side in one run:
  1. discovery of 10,000 cases: attest_discover_tests' script (--collect-only=json, then
     attest-discover writing CTest's file), vs the same binary's plain Boost.Test twin listing
     itself (--list_content), and CTest reading the 10,000 tests (ctest -N);
  2. attest's own integration suites under ctest -j2 with one shared environment: one CTest test
     per case (as attest_discover_tests registers them) vs the five binaries run whole;
  3. 4 shards of a generated 200-test suite with skewed (log-normal) durations, run in parallel:
     the wall of the slowest shard, default split vs --shard-by duration (from a whole run).

usage: scale_bench.py BUILD_DIR [ROUNDS]   (part 1 needs `make bench`'s 10k suite in BUILD_DIR/bench)
"""
import json, os, random, shutil, statistics, subprocess, sys, tempfile, time

build = os.path.realpath(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
tools = os.path.join(build, "tools")
work = tempfile.mkdtemp(prefix="attest-scalebench-")
med = statistics.median
rows = []

def timed(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    dt = time.perf_counter() - t0
    assert p.returncode == 0, (cmd, p.stdout[-3000:], p.stderr[-3000:])
    return dt

def cmake_list(items):
    return ";".join(items)

# ---- 1. discovery of 10,000 cases -------------------------------------------------------------
gen = os.path.join(build, "bench", "gen")
big = os.path.join(build, "bench", "build", "bench_attest")
plain = os.path.join(build, "bench", "build", "bench_plain")
if os.path.exists(big):
    subprocess.run(["cmake", "--build", os.path.join(build, "bench", "build")], check=True,
                   stdout=subprocess.DEVNULL)
    d = os.path.join(work, "discovery")
    os.makedirs(d)
    args_file = os.path.join(d, "args.cmake")
    ctest_file = os.path.join(d, "big_tests.cmake")
    open(args_file, "w").write(f"""set(ATTEST_EXECUTABLE [==[{big}]==])
set(ATTEST_DISCOVER [==[{tools}/attest-discover]==])
set(ATTEST_EXTRA_ARGS [==[]==])
set(ATTEST_WORKING_DIRECTORY [==[{gen}]==])
set(ATTEST_PREFIX [==[]==])
set(ATTEST_SUFFIX [==[]==])
set(ATTEST_PROPERTIES [==[]==])
set(ATTEST_TEST_LIST [==[]==])
set(ATTEST_TIMEOUT [==[60]==])
set(ATTEST_OUTPUT_DIR [==[{d}/results]==])
set(ATTEST_GRANULARITY [==[case]==])
set(ATTEST_CTEST_FILE [==[{ctest_file}]==])
""")
    open(os.path.join(d, "CTestTestfile.cmake"), "w").write(f"include([==[{ctest_file}]==])\n")
    discover = ["cmake", f"-DATTEST_ARGS_FILE={args_file}", "-P",
                os.path.join(root, "cmake", "AttestDiscoverTests.cmake")]
    timed(discover)
    listed = subprocess.run(["ctest", "--test-dir", d, "-N"], capture_output=True, text=True).stdout
    assert "Total Tests: 10000" in listed, listed[-300:]
    t_discover = med(timed(discover) for _ in range(rounds))
    t_plain = med(timed([plain, "--list_content"], cwd=gen) for _ in range(rounds))
    t_ctest = med(timed(["ctest", "--test-dir", d, "-N"]) for _ in range(rounds))
    rows.append(("discover 10,000 cases (collect + write CTest's file)", t_discover, t_plain,
                 "plain Boost.Test --list_content (names only)"))
    rows.append(("CTest reads the 10,000 discovered tests (ctest -N)", t_ctest, None, "—"))
else:
    print(f"(no {big}: run `make bench` once for the discovery row)")

# ---- 2. attest's integration suites: per case vs whole ---------------------------------------
suites = ["integration", "postgres", "redis", "mock_http", "ingester"]
bins = {s: os.path.join(build, "suites", "integration", f"attest_{s}_tests") for s in suites}
cwd = os.path.join(build, "suites", "integration")
config = os.path.join(root, "attest.json")
env_dir = os.path.join(work, "env")
fixture = f"""add_test(env_up [==[{tools}/attest-env]==] --config [==[{config}]==] --dir [==[{env_dir}]==] up)
add_test(env_down [==[{tools}/attest-env]==] --dir [==[{env_dir}]==] down)
set_tests_properties(env_up PROPERTIES FIXTURES_SETUP env)
set_tests_properties(env_down PROPERTIES FIXTURES_CLEANUP env)
"""
whole = os.path.join(work, "whole")
os.makedirs(whole)
text = fixture
for s, b in bins.items():
    text += f"add_test({s} [==[{b}]==] --config [==[{config}]==])\n"
    text += (f"set_tests_properties({s} PROPERTIES FIXTURES_REQUIRED env "
             f"ENVIRONMENT [==[ATTEST_ENV={env_dir}]==] WORKING_DIRECTORY [==[{cwd}]==])\n")
open(os.path.join(whole, "CTestTestfile.cmake"), "w").write(text)
per_case = os.path.join(work, "per_case")
os.makedirs(per_case)
text = fixture
cases = 0
for s, b in bins.items():
    manifest = os.path.join(per_case, s + ".json")
    with open(manifest, "w") as f:
        subprocess.run([b, "--config", config, "--collect-only=json"], stdout=f, check=True, cwd=cwd)
    cases += len(json.load(open(manifest))["tests"])
    out = os.path.join(per_case, s + ".cmake")
    subprocess.run([os.path.join(tools, "attest-discover"), "--manifest", manifest, "--executable", b,
                    "--out", out, "--prefix", s + ":", "--extra-arg=--config", f"--extra-arg={config}",
                    "--working-directory", cwd, "--property", "FIXTURES_REQUIRED=env",
                    "--property", f"ENVIRONMENT=ATTEST_ENV={env_dir}"], check=True)
    text += f"include([==[{out}]==])\n"
open(os.path.join(per_case, "CTestTestfile.cmake"), "w").write(text)

w, p = [], []
ctest = lambda d: ["ctest", "--test-dir", d, "-j2"]
timed(ctest(whole)); timed(ctest(per_case))  # warm: binaries, PostgreSQL's cluster cache
for _ in range(rounds):
    w.append(timed(ctest(whole)))
    p.append(timed(ctest(per_case)))
rows.append((f"integration suites, {cases} cases as {cases} CTest tests, ctest -j2", med(p), med(w),
             f"the {len(suites)} binaries run whole, ctest -j2 (same shared environment)"))

# ---- 3. shards of a skewed suite ----------------------------------------------------------------
src = os.path.join(work, "skewed")
os.makedirs(src)
rng = random.Random(2026)
durations = [min(1500, int(rng.lognormvariate(3.0, 1.3))) for _ in range(200)]
body = ["#include <attest/attest.hpp>", "#include <chrono>", "#include <thread>",
        "// Generated: 200 cases whose durations follow a long-tailed distribution."]
for i, ms in enumerate(durations):
    body.append(f"BOOST_AUTO_TEST_CASE(case_{i:03d}) {{ std::this_thread::sleep_for(std::chrono::milliseconds({ms})); }}")
open(os.path.join(src, "skewed.cpp"), "w").write("\n".join(body) + "\n")
open(os.path.join(src, "CMakeLists.txt"), "w").write("""cmake_minimum_required(VERSION 3.25)
project(skewed CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(attest CONFIG REQUIRED)
add_executable(skewed skewed.cpp)
target_link_libraries(skewed PRIVATE attest::main)
""")
open(os.path.join(src, "attest.json"), "w").write("{}\n")
sb = os.path.join(src, "build")
subprocess.run(["cmake", "-S", src, "-B", sb, "-G", "Ninja", f"-Dattest_DIR={build}"], check=True,
               stdout=subprocess.DEVNULL)
subprocess.run(["cmake", "--build", sb], check=True, stdout=subprocess.DEVNULL)
skewed = os.path.join(sb, "skewed")
history = os.path.join(src, "history.json")
timed([skewed, "--report-json", history], cwd=src)

def shards(extra):
    t0 = time.perf_counter()
    procs = [subprocess.Popen([skewed, "--shard", f"{i}/4", *extra], cwd=src,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(4)]
    ends = []
    for p in procs:
        assert p.wait() == 0
        ends.append(time.perf_counter() - t0)
    return max(ends), min(ends)

default, balanced = [], []
for _ in range(rounds):
    default.append(shards([]))
    balanced.append(shards(["--shard-by", "duration", "--durations-from", history]))
total = sum(durations) / 1000
rows.append((f"4 shards of 200 skewed tests ({total:.1f} s in all): slowest shard, by duration",
             med(b[0] for b in balanced), med(d[0] for d in default), "default split (equal counts)"))
ratio = lambda runs: med(r[0] / r[1] for r in runs)
print(f"| figure (median of {rounds}) | attest | anchor | ratio | anchor is |")
print("|---|---|---|---|---|")
for name, a, b, what in rows:
    print(f"| {name} | {a:.3f} s | " + (f"{b:.3f} s | {a / b:.2f}× |" if b else "— | — |") + f" {what} |")
print(f"\nslowest/fastest shard: default {ratio(default):.2f}, by duration {ratio(balanced):.2f} "
      f"(ideal {total / 4:.2f} s each)")
shutil.rmtree(work, ignore_errors=True)
