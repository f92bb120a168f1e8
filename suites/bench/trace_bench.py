#!/usr/bin/env python3
"""trace-check figures: 10,000 tests (5 generated manifests), 2,000 requirements
(one spec-kit spec.md) and a 10,000-test results file; median wall time of 5
runs and peak memory. Also the catalog parse alone (2,000 requirements, one test)
for each catalog format side by side (spec.md, JSON, ReqIF, .reqifz, YAML list,
a Doorstop document), and the HTML report's render time in headless Chromium.

usage: trace_bench.py BUILD_DIR [ROUNDS]
"""
import json, os, statistics, subprocess, sys, time

build = os.path.realpath(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
trace_check = os.path.join(build, "tools", "trace-check")
work = os.path.join(build, "bench", "trace")
os.makedirs(work, exist_ok=True)

N_TESTS, N_REQS, N_MANIFESTS = 10000, 2000, 5

with open(os.path.join(work, "spec.md"), "w") as f:
    f.write("# Feature Specification: generated\n\n## Requirements\n\n")
    for i in range(N_REQS):
        f.write(f"- **FR-{i:04d}**: System MUST do generated thing number {i}\n")

per = N_TESTS // N_MANIFESTS
results = []
for m in range(N_MANIFESTS):
    tests = []
    for i in range(m * per, (m + 1) * per):
        req = f"FR-{i % N_REQS:04d}"
        tests.append({"id": f"s{i // 500:03d}/t{i:05d}", "file": f"/src/tests_{i // 500:03d}.cpp", "line": i % 500 + 3,
                      "markers": ["unit"], "requirements": [req], "description": "", "enabled": True})
        results.append({"id": tests[-1]["id"], "outcome": "failed" if i % 997 == 0 else "passed",
                        "duration_ms": 0.01, "requirements": [req], "markers": ["unit"], "message": ""})
    with open(os.path.join(work, f"m{m}.json"), "w") as f:
        json.dump({"attest_manifest": 1, "binary": "bench", "tests": tests}, f)
with open(os.path.join(work, "results.json"), "w") as f:
    json.dump({"attest_results": 1, "binary": "bench", "tests": results,
               "summary": {"passed": 0, "failed": 0, "skipped": 0}}, f)
with open(os.path.join(work, "one.json"), "w") as f:
    json.dump({"attest_manifest": 1, "binary": "bench", "tests": [
        {"id": "a", "file": "a.cpp", "line": 1, "requirements": ["FR-0000"]}]}, f)

def measure(args):
    times, peaks = [], []
    rss = os.path.join(work, "rss.txt")
    for _ in range(rounds + 1):  # the first run warms the page cache
        t0 = time.perf_counter()
        # GNU time reports the child's own peak RSS (Python's rusage would count the fork).
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss, trace_check] + args, cwd=work,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        peaks.append(int(open(rss).read().split()[-1]))
        assert p.returncode in (0, 1), p.stderr
    return statistics.median(times[1:]), max(peaks) / 1024

manifests = [os.path.join(work, f"m{m}.json") for m in range(N_MANIFESTS)]
full = ["--requirements", "spec.md", "--manifest", *manifests, "--results", "results.json",
        "--id-pattern", "FR-[0-9]{4}", "--format", "json", "--output", "out.json",
        "--format", "html", "--output", "out.html"]
t_cat, mem_cat = measure(["--requirements", "spec.md", "--manifest", "one.json", "--id-pattern", "FR-[0-9]{4}",
                          "--threshold", "0"])
t_full, mem_full = measure(full)
out = json.load(open(os.path.join(work, "out.json")))
assert out["total"] == N_REQS and out["tests"] == N_TESTS

# The same 2,000 requirements in every other catalog format.
reqs = [(f"FR-{i:04d}", f"System MUST do generated thing number {i}") for i in range(N_REQS)]
with open(os.path.join(work, "reqs.json"), "w") as f:
    json.dump({"requirements": [{"id": i, "title": t} for i, t in reqs]}, f)
with open(os.path.join(work, "reqs.yaml"), "w") as f:
    f.write("requirements:\n" + "".join(f"  - id: {i}\n    title: {t}\n" for i, t in reqs))
objects = "".join(
    f'<SPEC-OBJECT IDENTIFIER="o{n}" LAST-CHANGE="2026-01-01T00:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>'
    f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{i}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>'
    f'<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>'
    f'<THE-VALUE><xhtml:div><xhtml:p>{t}</xhtml:p></xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT>\n'
    for n, (i, t) in enumerate(reqs))
hierarchy = "".join(f'<SPEC-HIERARCHY IDENTIFIER="h{n}"><OBJECT><SPEC-OBJECT-REF>o{n}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>\n'
                    for n in range(N_REQS))
reqif = f"""<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<THE-HEADER><REQ-IF-HEADER IDENTIFIER="hdr"><TITLE>generated</TITLE></REQ-IF-HEADER></THE-HEADER>
<CORE-CONTENT><REQ-IF-CONTENT><SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="t" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>
<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LONG-NAME="ReqIF.ForeignID"/><ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LONG-NAME="ReqIF.Text"/>
</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>
<SPEC-OBJECTS>
{objects}</SPEC-OBJECTS>
<SPECIFICATIONS><SPECIFICATION IDENTIFIER="s" LONG-NAME="Generated"><CHILDREN>
{hierarchy}</CHILDREN></SPECIFICATION></SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"""
with open(os.path.join(work, "reqs.reqif"), "w") as f:
    f.write(reqif)
import zipfile
with zipfile.ZipFile(os.path.join(work, "reqs.reqifz"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("reqs.reqif", reqif)
doorstop = os.path.join(work, "doorstop")
os.makedirs(doorstop, exist_ok=True)
with open(os.path.join(doorstop, ".doorstop.yml"), "w") as f:
    f.write("settings:\n  prefix: FR-\n  digits: 4\n")
for i, t in reqs:
    with open(os.path.join(doorstop, f"{i}.yml"), "w") as f:
        f.write(f"active: true\nheader: ''\nlevel: 1.{i[3:]}\nlinks: []\nnormative: true\ntext: |\n  {t}\n")
catalog_times = []
for name in ["spec.md", "reqs.json", "reqs.reqif", "reqs.reqifz", "reqs.yaml", "doorstop"]:
    t, m = measure(["--requirements", name, "--manifest", "one.json", "--id-pattern", "FR-[0-9]{4}",
                    "--threshold", "0"])
    catalog_times.append((name, t, m))

# The HTML report at 10k × 2k in headless Chromium: time to load and render it
# (--dump-dom returns after load), against an empty page for the browser's own start.
chromium = "/usr/bin/chromium"
def chromium_ms(url):
    times = []
    for _ in range(rounds + 1):
        t0 = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", f"--user-data-dir={work}/profile", "--dump-dom", url],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])
render = None
if os.path.exists(chromium):
    with open(os.path.join(work, "empty.html"), "w") as f:
        f.write("<!DOCTYPE html><title>empty</title>")
    render = (chromium_ms("file://" + os.path.join(work, "out.html")),
              chromium_ms("file://" + os.path.join(work, "empty.html")),
              os.path.getsize(os.path.join(work, "out.html")))

print(f"| trace-check figure (median of {rounds}) | wall | peak RSS | goal |")
print("|---|---|---|---|")
print(f"| 10k tests × 2k requirements + 10k results, JSON + HTML reports | {t_full:.3f} s | {mem_full:.0f} MiB | ≤ 0.3 s |")
print(f"| catalog parse: 2k-requirement spec.md (+ process start, 1 test) | {t_cat:.3f} s | {mem_cat:.0f} MiB | report |")
print()
print("| catalog: 2,000 requirements (+ process start, 1 test) | wall | peak RSS |")
print("|---|---|---|")
for name, t, m in catalog_times:
    print(f"| {name} | {t * 1000:.1f} ms | {m:.0f} MiB |")
if render:
    print()
    print(f"| HTML report, 10k tests × 2k requirements ({render[2] / 1e6:.1f} MB) in headless Chromium | {render[0]:.2f} s |")
    print(f"| an empty page (the browser's own start) | {render[1]:.2f} s |")
    print(f"| the report's own load and render | {render[0] - render[1]:.2f} s |")
