#!/usr/bin/env python3
"""A database suite split into 4 binaries, run 2 at a time as `ctest -j2` runs them: each
binary with a PostgreSQL of its own (what attest did before shared environments) vs one shared
environment (`attest-env up` once, ATTEST_ENV for all four, `down` at the end; its time included),
side by side with the suite run whole as one binary. The split is the dblayer e2e suite (64 tests,
6 suites) cut by suite into 4 processes of similar size.

usage: split_bench.py BUILD_DIR [ROUNDS]
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

build = os.path.realpath(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
suite_dir = os.path.join(root, "suites", "e2e", "dblayer")
binary = os.path.join(build, "suites", "e2e", "dblayer_tests")
attest_env = os.path.join(build, "tools", "attest-env")
shards = [["constraints"], ["row_level_security", "triggers"], ["savepoints", "concurrency"], ["isolation"]]
work = tempfile.mkdtemp(prefix="attest-splitbench-")
os.chmod(work, 0o755)
config = os.path.join(work, "attest.json")
json.dump({"services": {"postgres": {"type": "postgres"}}}, open(config, "w"))
base_env = dict(os.environ, DBLAYER_MIGRATIONS=os.path.join(suite_dir, "migrations"),
                ATTEST_CACHE_DIR=os.path.join(work, "cache"), ATTEST_RUN_DIR=work)

def run(args, env):
    p = subprocess.run([binary, *args], cwd=suite_dir, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert p.returncode == 0, p.stdout[-2000:]

def split(env):
    with ThreadPoolExecutor(max_workers=2) as pool:  # ctest -j2
        list(pool.map(lambda s: run(["-k", " or ".join(s)], env), shards))

def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0

def shared():
    envdir = os.path.join(work, "env")
    subprocess.run([attest_env, "--config", config, "--dir", envdir, "up"], check=True,
                   stdout=subprocess.DEVNULL, env=base_env)
    split(dict(base_env, ATTEST_ENV=envdir))
    subprocess.run([attest_env, "--dir", envdir, "down"], check=True, stdout=subprocess.DEVNULL)

whole, own, env = [], [], []
timed(lambda: run([], base_env))  # warm-up: the cluster cache and the template
for _ in range(rounds):
    whole.append(timed(lambda: run([], base_env)))
    own.append(timed(lambda: split(base_env)))
    env.append(timed(shared))
shutil.rmtree(work, ignore_errors=True)
m = statistics.median
print(f"| 64-test database suite (median of {rounds}) | wall | vs the single binary | goal |")
print("|---|---|---|---|")
print(f"| one binary, whole | {m(whole):.2f} s | 1.00× | anchor |")
print(f"| 4 binaries, 2 at a time, a PostgreSQL each | {m(own):.2f} s | {m(own)/m(whole):.2f}× | — |")
print(f"| 4 binaries, 2 at a time, one shared environment (up/down included) | {m(env):.2f} s | {m(env)/m(whole):.2f}× | ≤ 1.1× |")
