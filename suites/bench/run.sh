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
rm -rf "$work" && mkdir -p "$work"

python3 "$root/suites/bench/generate.py" "$work/gen" --tests "$n" --files 20
cmake -S "$root/suites/bench" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dattest_DIR="$build" -DGENERATED_DIR="$work/gen" >/dev/null

# Compile: each target built from clean, alternating, `rounds_compile` times.
rounds_compile=${COMPILE_ROUNDS:-1}
python3 - "$work/build" "$rounds_compile" <<'PY'
import subprocess, sys, time, statistics, json
build, rounds = sys.argv[1], int(sys.argv[2])
times = {"bench_plain": [], "bench_attest": []}
for _ in range(rounds):
    for t in times:
        subprocess.run(["cmake", "--build", build, "--target", "clean"], check=True, capture_output=True)
        t0 = time.perf_counter()
        subprocess.run(["cmake", "--build", build, "--target", t, "-j2"], check=True, capture_output=True)
        times[t].append(time.perf_counter() - t0)
# The last round leaves only the last target built: build both for the runs below.
subprocess.run(["cmake", "--build", build, "-j2"], check=True, capture_output=True)
json.dump({k: statistics.median(v) for k, v in times.items()}, open(build + "/compile.json", "w"))
PY

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

# Sanity: the attest manifest really lists n tests with their requirement.
_, out = timed([attest, "--collect-only=json"])
manifest = json.loads(out)
assert len(manifest["tests"]) == n and manifest["tests"][0]["requirements"] == ["FR-00000"]

rows = [
    ("collect 10k to JSON", median_of([attest, "--collect-only=json"]),
     median_of([plain, "--list_content"]), "plain --list_content (no labels)"),
    ("run 10k trivial", median_of([attest]), median_of([plain]), "plain Boost.Test binary"),
    ("run 10k + JUnit + results JSON", median_of([attest, "--junitxml", build + "/j.xml", "--report-json", build + "/r.json"]),
     median_of([plain, "--logger=JUNIT,error," + build + "/pj.xml"]), "plain with Boost's JUNIT logger"),
    ("select -m unit --req FR-00001", median_of([attest, "-m", "unit", "--req", "FR-00001"]),
     median_of([plain, "--run_test=@FR-00001"]), "plain --run_test=@FR-00001"),
]
compile_ = json.load(open(build + "/compile.json"))
rows.append(("compile (clean, -j2)", compile_["bench_attest"], compile_["bench_plain"], "plain suite with labels"))

print(f"| figure ({n} tests, median of {rounds}) | attest | anchor | ratio | anchor is |")
print("|---|---|---|---|---|")
for name, a, p, what in rows:
    print(f"| {name} | {a:.3f} s | {p:.3f} s | {a / p:.2f}× | {what} |")
PY
