#!/usr/bin/env python3
"""Orphans: after 20 runs each of pass, fail, throw-in-setup, SIGINT, SIGTERM and
SIGKILL of a test runner that started services, count the service processes and
run directories left behind (the goal: 0). Kill modes are counted right after
the 20 kills (0.2 s later) and again after the next run.

usage: orphans_bench.py BUILD_DIR [RUNS]
"""
import atexit, os, shutil, signal, subprocess, sys, tempfile, time

# The runs' cache (.attest_cache) is not a leftover: keep it out of the counted directory,
# and remove it at the end.
os.environ["ATTEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="attest-bench-cache-")
atexit.register(shutil.rmtree, os.environ["ATTEST_CACHE_DIR"], True)

build = os.path.realpath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
victim = os.path.join(build, "suites/e2e/attest_victim_tests")
infra = os.path.join(build, "suites/e2e/attest_infra_tests")

def services():  # every service these binaries start is a `tail -f /dev/null`
    out = subprocess.run(["pgrep", "-f", "^tail -f /dev/null$"], capture_output=True, text=True).stdout
    return len(out.split())

def left(base):
    return services(), len(os.listdir(base))

def run(cmd, base, extra_env=None):
    env = dict(os.environ, ATTEST_RUN_DIR=base, **(extra_env or {}))
    subprocess.run(cmd, env=env, cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def killed(sig, base):
    env = dict(os.environ, ATTEST_RUN_DIR=base)
    p = subprocess.Popen([victim, "--run_test=launches_a_service_and_blocks"], env=env, cwd=base,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if "rundir=" in line:
            break
    p.send_signal(sig)
    p.wait()

baseline = services()
print(f"| mode ({runs} runs each) | services left | run dirs left | after the next run |")
print("|---|---|---|---|")
modes = [
    ("pass", lambda b: run([victim, "--run_test=quick"], b)),
    ("fail", lambda b: run([infra, "--run_test=fails_with_a_service"], b)),
    ("throw in setup", lambda b: run([infra, "--run_test=teardown_after_throw"], b, {"ATTEST_SAMPLE_FAIL_SETUP": "1"})),
    ("SIGINT", lambda b: killed(signal.SIGINT, b)),
    ("SIGTERM", lambda b: killed(signal.SIGTERM, b)),
    ("SIGKILL", lambda b: killed(signal.SIGKILL, b)),
]
for name, action in modes:
    with tempfile.TemporaryDirectory() as base:
        for _ in range(runs):
            action(base)
        time.sleep(0.2)  # let the kernel finish delivering SIGKILLs before counting
        procs, dirs = left(base)
        run([victim, "--run_test=quick"], base)
        time.sleep(0.2)
        procs2, dirs2 = left(base)
        print(f"| {name} | {procs - baseline} | {dirs} | {procs2 - baseline} services, {dirs2} dirs |")
