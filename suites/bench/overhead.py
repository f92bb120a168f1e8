#!/usr/bin/env python3
"""Per-test overhead: the 10,000 trivial tests as attest and as plain Boost.Test, run in turn
(alternating, so both see the same machine), median wall time and median peak RSS of each.
usage: overhead.py BENCH_BUILD_DIR [ROUNDS]   (run from the generated suite's directory, after
suites/bench/run.sh has built bench_attest and bench_plain there; the friction issue, item 6).
attest runs twice: as it is (Boost's debugger probe asked once per run) and with
ATTEST_BOOST_DEBUGGER_PROBE=each-test (asked before every test, as plain Boost.Test does): the
second is attest's own bookkeeping on top of the same Boost."""
import os, statistics, subprocess, sys, time

build, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 9
attest, plain = os.path.join(build, "bench_attest"), os.path.join(build, "bench_plain")
binaries = {"attest": (attest, {}),
            "attest_each": (attest, {"ATTEST_BOOST_DEBUGGER_PROBE": "each-test"}),
            "plain": (plain, {})}

def once(path_env):
    path, env = path_env
    t0 = time.perf_counter()
    p = subprocess.Popen([path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, **env))
    _, status, usage = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, path
    return time.perf_counter() - t0, usage.ru_maxrss / 1024.0

for path in binaries.values():
    once(path)  # warm the page cache
runs = {name: [] for name in binaries}
for _ in range(rounds):
    for name, path in binaries.items():
        runs[name].append(once(path))
wall = {n: statistics.median(r[0] for r in v) for n, v in runs.items()}
peak = {n: statistics.median(r[1] for r in v) for n, v in runs.items()}
print(f"| 10k trivial tests (median of {rounds}) | attest | plain Boost.Test | ratio | goal |")
print("|---|---|---|---|---|")
print(f"| wall time | {wall['attest']:.3f} s | {wall['plain']:.3f} s | {wall['attest'] / wall['plain']:.2f}× | ≤ 1.05× |")
print(f"| peak memory | {peak['attest']:.1f} MiB | {peak['plain']:.1f} MiB | {peak['attest'] / peak['plain']:.2f}× | ≤ 1.2× |")
print(f"| wall time, Boost's probe before every test in both (attest's own bookkeeping) | {wall['attest_each']:.3f} s | {wall['plain']:.3f} s | {wall['attest_each'] / wall['plain']:.2f}× | — |")
