#!/usr/bin/env bash
# Issue #26's figures, side by side in one run (medians):
#   per-test overhead of a coroutine test: N trivial ATTEST_ASYNC_TEST_CASEs vs the same N as
#     ordinary attest tests (anchor), wall time and peak memory; overhead = (async - sync) / N
#   properties checked per second: one property, ATTEST_PROPERTY vs RapidCheck's own Boost.Test
#     adapter (RC_BOOST_PROP, anchor), same seed and case count
# usage: suites/bench/async/run.sh BUILD_DIR [N_TESTS] [ROUNDS] [PROPERTY_CASES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../../../build}")
n=${2:-10000}
rounds=${3:-7}
cases=${4:-20000}
work=$build/bench-async
if [ "${BENCH_REUSE:-0}" != 1 ] || [ ! -x "$work/build/bench_async" ]; then
  rm -rf "$work" && mkdir -p "$work"
  python3 "$here/../generate.py" "$work/gen" --tests "$n" --files 20 --variants attest,async
  printf '{"requirement_pattern": "FR-[0-9]{5}"}\n' > "$work/gen/attest.json"
  cmake -S "$here" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -Dattest_DIR="$build" -DGENERATED_DIR="$work/gen" >/dev/null
  cmake --build "$work/build" -j2 >/dev/null
fi
cd "$work/gen"  # the generated attest.json
python3 - "$work/build" "$rounds" "$n" "$cases" <<'PY'
import os, statistics, subprocess, sys, tempfile, time
build, rounds, n, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cache = tempfile.mkdtemp(prefix="attest-bench-cache-")

def run(cmd, env=None):
    """Wall seconds and peak RSS (MiB) of one run of cmd."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, ATTEST_CACHE_DIR=cache, **(env or {})))
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    assert os.waitstatus_to_exitcode(status) == 0, (cmd, status)
    return dt, usage.ru_maxrss / 1024

def medians(cmd, env=None):
    run(cmd, env)  # warm-up
    rs = [run(cmd, env) for _ in range(rounds)]
    return statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)

# Interleaved, so machine load moves both alike.
a_t, a_m = medians([os.path.join(build, "bench_async")])
s_t, s_m = medians([os.path.join(build, "bench_sync")])
print(f"| {n} trivial tests: coroutine vs ordinary attest test, wall | {a_t:.3f} s | {s_t:.3f} s | {a_t / s_t:.2f}× | per async test: {(a_t - s_t) / n * 1e6:.1f} µs (goal ≤ 20 µs) |")
print(f"| {n} trivial tests: peak memory | {a_m:.1f} MiB | {s_m:.1f} MiB | {a_m / s_m:.2f}× | |")

pa_t, _ = medians([os.path.join(build, "bench_prop_attest"), "--prop-seed", "1",
                   "--prop-max-success", str(cases)])
pr_t, _ = medians([os.path.join(build, "bench_prop_rc")],
                  {"RC_PARAMS": f"seed=1 max_success={cases} verbose_progress=0"})
print(f"| property, {cases} cases: checked per second | {cases / pa_t:,.0f}/s | {cases / pr_t:,.0f}/s | {pr_t / pa_t:.2f}× | goal ≥ 0.9× RapidCheck's Boost adapter |")
PY
