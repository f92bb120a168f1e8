#!/usr/bin/env bash
# make bench: attest vs plain Boost.Test with labels, side by side, medians.
#   collect 10k marked tests to JSON   (anchor: plain --list_content, which prints no labels)
#   run 10k trivial marked tests       (anchor: the plain binary)
#   compile the 10k suite              (anchor: the plain suite, same flags, -j2)
# usage: suites/bench/run.sh BUILD_DIR [N_TESTS] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${1:-$root/build}")
n=${2:-10000}
rounds=${3:-5}
work=$build/bench
# BENCH_REUSE=1 keeps an earlier run's generated suites, binaries and compile
# times, and measures only the runs (iterating on run-time work takes seconds).
if [ "${BENCH_REUSE:-0}" != 1 ] || [ ! -f "$work/build/compile.json" ]; then
rm -rf "$work" && mkdir -p "$work"

python3 "$root/suites/bench/generate.py" "$work/gen" --tests "$n" --files 20
# The generated IDs (FR-00001) follow their own pattern: attest is strict about it.
printf '{"requirement_pattern": "FR-[0-9]{5}"}\n' > "$work/gen/attest.json"
cmake -S "$root/suites/bench" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dattest_DIR="$build" -DGENERATED_DIR="$work/gen" >/dev/null

# Compile: both targets built from clean, plain then attest, `rounds_compile` times.
rounds_compile=${COMPILE_ROUNDS:-1}
python3 - "$work/build" "$rounds_compile" <<'PY'
import subprocess, sys, time, statistics, json
build, rounds = sys.argv[1], int(sys.argv[2])
times = {"bench_plain": [], "bench_attest": []}
for _ in range(rounds):
    subprocess.run(["cmake", "--build", build, "--target", "clean"], check=True, capture_output=True)
    for t in times:  # the targets share no objects: each build compiles only its own suite
        t0 = time.perf_counter()
        subprocess.run(["cmake", "--build", build, "--target", t, "-j2"], check=True, capture_output=True)
        times[t].append(time.perf_counter() - t0)
json.dump({k: statistics.median(v) for k, v in times.items()}, open(build + "/compile.json", "w"))
PY
fi

cd "$work/gen"  # attest finds the generated suite's attest.json here
python3 - "$work/build" "$rounds" "$n" <<'PY'
import subprocess, sys, time, statistics, json, os
build, rounds, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
attest, plain = os.path.join(build, "bench_attest"), os.path.join(build, "bench_plain")

def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    assert p.returncode == 0, (cmd, p.returncode)
    return dt, p.stdout

def median_of(cmd):
    timed(cmd)  # warm the page cache
    return statistics.median(timed(cmd)[0] for _ in range(rounds))

def peak_mib(cmd):  # the child's own peak resident set (wait4's rusage), median of the rounds
    def once():
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        assert p.returncode == 0, (cmd, p.returncode)
        return usage.ru_maxrss / 1024.0
    return statistics.median(once() for _ in range(rounds))

# Sanity: the attest manifest really lists n tests with their requirement.
_, out = timed([attest, "--collect-only=json"])
manifest = json.loads(out)
assert len(manifest["tests"]) == n and manifest["tests"][0]["requirements"] == ["FR-00000"]

# --lf on a 10k suite with 3 failures: a cache saying 3 tests failed, restored before each
# round (the run rewrites it); the anchor runs the same 3 tests by Boost's --run_test.
import shutil, tempfile
cache = tempfile.mkdtemp()
subprocess.run([attest, "--report-json", build + "/all.json"], stdout=subprocess.DEVNULL, check=True)
doc = json.load(open(build + "/all.json"))
three = [doc["tests"][i] for i in (0, n // 2, n - 1)]
os.makedirs(os.path.join(cache, "bench_attest"), exist_ok=True)
json.dump({"attest_lastfailed": 1, "tests": [t["id"] for t in three]}, open(build + "/lf_cache.json", "w"))
def lf_round():
    shutil.copy(build + "/lf_cache.json", os.path.join(cache, "bench_attest", "lastfailed.json"))
    t0 = time.perf_counter()
    p = subprocess.run([attest, "--lf"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, ATTEST_CACHE_DIR=cache))
    dt = time.perf_counter() - t0
    assert p.returncode == 0 and b"running the 3 tests that failed last time" in p.stdout, p.stdout
    return dt
lf_round()
lf = statistics.median(lf_round() for _ in range(rounds))
shutil.rmtree(cache)

rows = [
    ("collect 10k to JSON", median_of([attest, "--collect-only=json"]),
     median_of([plain, "--list_content"]), "plain --list_content (no labels)"),
    ("run 10k trivial (progress to a pipe)", median_of([attest]), median_of([plain]), "plain Boost.Test binary"),
    ("run 10k trivial, -v (a line per test)", median_of([attest, "-v"]), median_of([plain]), "plain Boost.Test binary"),
    ("--lf on 10k with 3 failures (reads and rewrites the cache)", lf,
     median_of([plain, "--run_test=" + ":".join(t["id"] for t in three)]), "plain --run_test of the 3"),
    ("run 10k + JUnit + results JSON", median_of([attest, "--junitxml", build + "/j.xml", "--report-json", build + "/r.json"]),
     median_of([plain, "--logger=JUNIT,error," + build + "/pj.xml"]), "plain with Boost's JUNIT logger"),
    ("select -m unit --req FR-00001", median_of([attest, "-m", "unit", "--req", "FR-00001"]),
     median_of([plain, "--run_test=@FR-00001"]), "plain --run_test=@FR-00001"),
]
pytest_dir = os.path.join(os.path.dirname(build), "gen", "pytest")
# Isolated (-I): from here, the working directory's generated `pytest` folder would otherwise
# be imported as the pytest package (then "No module named pytest.__main__").
python = ["/usr/bin/python3", "-I"]
if subprocess.run(python + ["-c", "import pytest"], capture_output=True).returncode == 0:
    pytest = python + ["-m", "pytest", "-p", "no:cacheprovider", "-q", pytest_dir]
    rows.insert(1, ("collect 10k: attest JSON vs pytest --collect-only", rows[0][1],
                    median_of(pytest + ["--collect-only"]), "pytest " + subprocess.run(
                        python + ["-c", "import pytest; print(pytest.__version__)"],
                        capture_output=True, text=True).stdout.strip()))
    rows.insert(3, ("run 10k: attest vs pytest", rows[2][1], median_of(pytest), "pytest, same cases"))
else:
    print("(pytest not installed: apt-get install python3-pytest for the pytest rows)")
mem = (peak_mib([attest]), peak_mib([plain]))
compile_ = json.load(open(build + "/compile.json"))
rows.append((f"compile {n} cases (clean, -j2, -O3)", compile_["bench_attest"], compile_["bench_plain"], "plain suite with labels"))

print(f"| figure ({n} tests, median of {rounds}) | attest | anchor | ratio | anchor is |")
print("|---|---|---|---|---|")
for name, a, p, what in rows:
    print(f"| {name} | {a:.3f} s | {p:.3f} s | {a / p:.2f}× | {what} |")
print(f"| run 10k trivial: peak memory | {mem[0]:.1f} MiB | {mem[1]:.1f} MiB | {mem[0] / mem[1]:.2f}× | plain Boost.Test binary |")
PY

# trace-check over 10k tests, 2k requirements and 10k results.
python3 "$root/suites/bench/trace_bench.py" "$build" "$rounds"

# Readiness detection latency and orphans (fixtures).
"$build/suites/attest_readiness_bench"
python3 "$root/suites/bench/orphans_bench.py" "$build" 20

# The shared environment: attest-env up warm and cold vs a shell script, SIGKILL to gone.
python3 "$root/suites/bench/environment_bench.py" "$build" "$rounds"
python3 "$root/suites/bench/split_bench.py" "$build" 3

# Suite scale: discovery of the 10k suite, per-case CTest tests, duration-balanced shards.
python3 "$root/suites/bench/scale_bench.py" "$build" 3

# PostgreSQL: server ready, per-test databases, rollback fixture.
"$build/suites/attest_postgres_bench"

# Redis: local server ready vs redis-server alone.
"$build/suites/attest_redis_bench"

# Mock HTTP server throughput vs a trivial Beast server (needs wrk: apt-get install wrk).
"$build/suites/attest_http_bench" 5
