#!/usr/bin/env bash
# Issue #25's figures, side by side in one run (medians, runs interleaved):
#   1. per-test coverage's run time: attest's unit suite and the dblayer suite (64 tests) run
#      with --cov (per test: with the caches of a previous run; with those the build's
#      --cov-prepare step leaves, as the first run after a build has; with none at all) vs the
#      same --coverage binary without it (whole run, the anchor) vs a build without coverage
#   2. --affected-since over 10,000 tests: the selection (git diff + a 10,000-test record) on
#      top of collecting them (the anchor)
# usage: suites/bench/coverage_bench.sh BUILD_DIR COVERAGE_BUILD_DIR [ROUNDS]
#   BUILD_DIR: a Release build (no coverage); COVERAGE_BUILD_DIR: the same with
#   -DATTEST_COVERAGE=ON, with attest_unit_tests and dblayer_tests built; the 10,000-test
#   binary is suites/bench/async/run.sh's bench_sync (BUILD_DIR/bench-async).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "$1")
cov=$(realpath "$2")
rounds=${3:-7}
work=$(mktemp -d /tmp/attest-cov-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$root" "$build" "$cov" "$rounds" "$work" <<'PY'
import json, os, random, shutil, statistics, subprocess, sys, time
root, build, cov, rounds, work = sys.argv[1:6]
rounds = int(rounds)

def timed(cmd, cwd, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=dict(os.environ, **(env or {})),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    assert p.returncode == 0, (cmd, p.stderr.decode()[-2000:])
    return dt

def interleaved(variants, cwd, env=None, before=None):
    """{name: median seconds}: every variant once per round, after one warm-up each;
    before[name](), when given, runs untimed before each run of that variant."""
    before = before or {}
    for k, cmd in variants.items():
        before.get(k, lambda: None)()
        timed(cmd, cwd, env)
    times = {k: [] for k in variants}
    for _ in range(rounds):
        for k, cmd in variants.items():
            before.get(k, lambda: None)()
            times[k].append(timed(cmd, cwd, env))
    return {k: statistics.median(v) for k, v in times.items()}

def drop_notes_caches():
    """No cache of parsed notes beside any .gcno (a build without its --cov-prepare step)."""
    for dirpath, _, files in os.walk(cov):
        for f in files:
            if f.endswith(".gcno.attest-cache"):
                os.remove(os.path.join(dirpath, f))

def as_built(binary, cwd):
    """The first run after a build: the caches its --cov-prepare step leaves (every source)."""
    def prepare():
        drop_notes_caches()
        subprocess.run([binary, "--cov-prepare"], cwd=cwd, check=True, capture_output=True)
    return prepare

rows = []
# 1. Per-test coverage on attest's own suites.
srcs = [f"--cov={root}/{d}" for d in ("common", "traceability", "coverage", "fixtures", "framework")]
dblayer = f"{root}/suites/e2e/dblayer"
suites = {
    "unit suite (attest_unit_tests)": ("suites/unit/attest_unit_tests", f"{root}/suites/unit", {}),
    "dblayer suite (64 tests, PostgreSQL)": ("suites/e2e/dblayer_tests", dblayer,
                                             {"DBLAYER_MIGRATIONS": dblayer + "/migrations"}),
}
for name, (binary, cwd, env) in suites.items():
    per_test = [f"{cov}/{binary}"] + srcs + [f"--cov-report=json:{work}/rec.json"]
    m = interleaved({
        "none": [f"{build}/{binary}"],
        "whole": [f"{cov}/{binary}"],
        "per_test": per_test,
        "per_test_built": per_test,
        "per_test_cold": per_test,
        "prepare": [f"{cov}/{binary}", "--cov-prepare"],
    }, cwd, env, before={"per_test_built": as_built(f"{cov}/{binary}", cwd),
                         "per_test_cold": drop_notes_caches, "prepare": drop_notes_caches})
    rows.append((f"{name}: --cov per test vs --coverage whole run", m["per_test"], m["whole"],
                 "goal ≤ 1.3×"))
    rows.append((f"{name}: --cov per test, first run after a build (the build's --cov-prepare "
                 "caches) vs whole run", m["per_test_built"], m["whole"], "goal ≤ 1.3×"))
    rows.append((f"{name}: --cov per test without any notes cache vs whole run",
                 m["per_test_cold"], m["whole"], "for scale"))
    rows.append((f"{name}: the build's --cov-prepare step vs the whole run", m["prepare"],
                 m["whole"], "added to each link"))
    rows.append((f"{name}: --coverage whole run vs no coverage", m["whole"], m["none"], ""))

# For scale: a whole-run number the usual way, the --coverage run then gcovr's JSON report over
# the same sources (what --cov's per-test record with its report replaces), unit suite only.
if shutil.which("gcovr"):
    binary, cwd, _ = suites["unit suite (attest_unit_tests)"]
    filters = [a for d in ("common", "traceability", "coverage", "fixtures", "framework")
               for a in ("--filter", f"{root}/{d}/")]
    def whole_then_gcovr():
        for dirpath, _, files in os.walk(cov):
            for f in files:
                if f.endswith(".gcda"):
                    os.remove(os.path.join(dirpath, f))
        t0 = time.perf_counter()
        timed([f"{cov}/{binary}"], cwd)
        timed(["gcovr", "-r", root, *filters, "--json", f"{work}/gcovr.json", cov], root)
        return time.perf_counter() - t0
    gcovr_runs = sorted(whole_then_gcovr() for _ in range(3))
    per_test = [timed([f"{cov}/{binary}"] + srcs + [f"--cov-report=json:{work}/rec.json"], cwd)
                for _ in range(3)]
    rows.append(("unit suite: --cov per test with its report vs --coverage run + gcovr --json "
                 "(median of 3)", sorted(per_test)[1], gcovr_runs[1], "for scale"))

# 2. --affected-since over 10,000 tests: bench_sync's suite in a git repository, a record of
#    its 10,000 tests over a 2,000-line library (each line reached by a few tests, a function
#    every 20 lines), one function changed.
gen = f"{build}/bench-async/gen"
binary = f"{build}/bench-async/build/bench_sync"
if not os.path.exists(binary):  # suites/bench/async/run.sh BUILD_DIR makes it (minutes)
    rows.append(("--affected-since over 10,000 tests: skipped, no " + binary, 0.0, 1.0, "run suites/bench/async/run.sh first"))
else:
    repo = f"{work}/repo"
    subprocess.run(["cp", "-r", gen, repo], check=True)
    os.makedirs(f"{repo}/src")
    with open(f"{repo}/src/lib.cpp", "w") as f:
        f.writelines(f"int f{i}() {{ return {i}; }}\n" for i in range(2000))
    git = ["git", "-C", repo, "-c", "user.name=b", "-c", "user.email=b@b"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "bench"], check=True)
    manifest = json.loads(subprocess.run([binary, "--collect-only=json"], cwd=repo, check=True,
                                         capture_output=True).stdout)
    random.seed(1)
    n = len(manifest["tests"])
    tests = [{"binary": "bench_sync", "id": t["id"], "requirements": t["requirements"]}
             for t in manifest["tests"]]
    lines = [[l, 3, sorted(random.sample(range(n), 3))] for l in range(1, 2001)]
    record = {"attest_coverage": 1, "tests": tests,
              "files": {f"{repo}/src/lib.cpp": {"lines": lines, "branches": [],
                                                "functions": [[l, l + 19] for l in range(1, 2001, 20)]}}}
    json.dump(record, open(f"{work}/affected.json", "w"))
    with open(f"{repo}/src/lib.cpp") as f:
        text = f.readlines()
    text[104] = "int f104() { return -104; }\n"
    open(f"{repo}/src/lib.cpp", "w").writelines(text)
    m = interleaved({
        "collect": [binary, "--collect-only=json"],
        "affected": [binary, "--collect-only=json", "--affected-since", "HEAD",
                     "--affected-record", f"{work}/affected.json"],
    }, repo)
    selected = json.loads(subprocess.run([binary, "--collect-only=json", "--affected-since", "HEAD",
                                          "--affected-record", f"{work}/affected.json"], cwd=repo,
                                         check=True, capture_output=True).stdout)["tests"]
    rows.append((f"--affected-since over {n} tests ({len(selected)} selected), with collection",
                 m["affected"], m["collect"],
                 f"selection {1000 * (m['affected'] - m['collect']):.0f} ms, goal ≤ 500 ms"))

print("| figure | attest | anchor | ratio | note |")
print("|---|---|---|---|---|")
for name, a, b, note in rows:
    print(f"| {name} | {a:.3f} s | {b:.3f} s | {a / b:.2f}× | {note} |")
PY
