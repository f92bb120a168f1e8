#!/usr/bin/env python3
"""The shared environment: how long `attest-env up` takes for PostgreSQL + Redis + two JSON mocks +
a Python HTTP service (warm: PostgreSQL's initialised cluster cached; cold: an empty cache, initdb
included), side by side with the same five started by hand in a shell script (pg_ctl -w,
redis-server, two attest-mock, python3 -m http.server, each polled until it answers) on a cluster
initialised beforehand; and the time from SIGKILL of the environment's supervisor to the last
service's port closing.

usage: environment_bench.py BUILD_DIR [ROUNDS]
"""
import json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

build = os.path.realpath(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
attest_env = os.path.join(build, "tools", "attest-env")
attest_mock = os.path.join(build, "tools", "attest-mock")
work = tempfile.mkdtemp(prefix="attest-envbench-")
config = os.path.join(work, "attest.json")
mocks = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "integration", "mocks")
json.dump({"services": {
    "db": {"type": "postgres"},
    "cache": {"type": "redis"},
    "admin": {"type": "mock", "files": [os.path.join(mocks, "admin-mock.json")]},
    "storage": {"type": "mock", "files": [os.path.join(mocks, "storage-mock.json")]},
    "api": {"type": "process", "command": ["python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"],
            "env": {"DATABASE_URL": "${db.url}"}, "ready": {"http": "/"}}}}, open(config, "w"))

def run(*args, env=None):
    subprocess.run([attest_env, "--config", config, "--dir", os.path.join(work, "env"), *args],
                   check=True, stdout=subprocess.DEVNULL, env=env)

def timed_up(env=None):
    t0 = time.perf_counter()
    run("up", env=env)
    dt = time.perf_counter() - t0
    return dt

def listening(port):
    with socket.socket() as s:
        s.settimeout(0.05)
        return s.connect_ex(("127.0.0.1", port)) == 0

warm, cold, killed = [], [], []
run("up"); run("down")  # fills the cluster cache
for i in range(rounds):
    warm.append(timed_up()); run("down")
    cache = tempfile.mkdtemp(prefix="attest-envbench-cache-")
    cold.append(timed_up(dict(os.environ, XDG_CACHE_HOME=cache))); run("down")
    shutil.rmtree(cache, ignore_errors=True)
    run("up")
    e = json.load(open(os.path.join(work, "env", "env.json")))
    ports = [s["ports"][""] for s in e["services"].values()]
    pid = int(open(os.path.join(work, "env", "supervisor.pid")).read())
    t0 = time.perf_counter()
    os.kill(pid, signal.SIGKILL)
    while any(listening(p) for p in ports):
        time.sleep(0.002)
    killed.append(time.perf_counter() - t0)
    run("down")

# The anchor: the same three by hand, as a shell script would (cluster initialised beforehand).
pgbin = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() \
    or "/usr/lib/postgresql/15/bin"
for d in sorted(os.listdir("/usr/lib/postgresql"), reverse=True):
    pgbin = f"/usr/lib/postgresql/{d}/bin"; break
script = os.path.join(work, "by_hand.sh")
open(script, "w").write(f"""set -e
d=$1; cd $d
pg_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
r_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
a_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
m1_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
m2_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
{attest_mock} -q {mocks}/admin-mock.json --port $m1_port >$d/m1.log 2>&1 & echo $! > $d/m1.pid
{attest_mock} -q {mocks}/storage-mock.json --port $m2_port >$d/m2.log 2>&1 & echo $! > $d/m2.pid
$RUNAS {pgbin}/pg_ctl -D $d/data -o "-p $pg_port -k $d -c listen_addresses=127.0.0.1 -c fsync=off" -l $d/pg.log -w start >/dev/null
redis-server --port $r_port --bind 127.0.0.1 --save '' --daemonize yes --pidfile $d/redis.pid --logfile $d/redis.log
python3 -m http.server $a_port --bind 127.0.0.1 >$d/api.log 2>&1 & echo $! > $d/api.pid
until redis-cli -p $r_port ping >/dev/null 2>&1; do sleep 0.01; done
until python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$a_port/')" 2>/dev/null; do sleep 0.01; done
until grep -q listening $d/m1.log && grep -q listening $d/m2.log; do sleep 0.01; done
echo $pg_port > $d/pg.port
""")
hand = []
runas = "runuser -u nobody --" if os.geteuid() == 0 else ""
base = tempfile.mkdtemp(prefix="attest-envbench-hand-")
os.chmod(base, 0o777)
subprocess.run(f"{runas} {pgbin}/initdb -D {base}/data -A trust -U postgres >/dev/null", shell=True, check=True)
for i in range(rounds):
    t0 = time.perf_counter()
    subprocess.run(["bash", script, base], check=True, env=dict(os.environ, RUNAS=runas))
    hand.append(time.perf_counter() - t0)
    subprocess.run(f"{runas} {pgbin}/pg_ctl -D {base}/data -m immediate stop >/dev/null; "
                   f"kill $(cat {base}/redis.pid) $(cat {base}/api.pid) $(cat {base}/m1.pid) $(cat {base}/m2.pid)", shell=True)
    time.sleep(0.2)
shutil.rmtree(base, ignore_errors=True)
shutil.rmtree(work, ignore_errors=True)

med = statistics.median
print(f"| environment figure (median of {rounds}) | attest-env | by hand (shell) | goal |")
print("|---|---|---|---|")
print(f"| up: PostgreSQL + Redis + 2 JSON mocks + Python HTTP service, warm | {med(warm)*1000:.0f} ms | {med(hand)*1000:.0f} ms | ≤ 300 ms |")
print(f"| up, cold (initdb into an empty cache) | {med(cold)*1000:.0f} ms | — | — |")
print(f"| SIGKILL of the supervisor → last service port closed | {med(killed)*1000:.0f} ms (max {max(killed)*1000:.0f}) | — | ≤ 1 s |")
