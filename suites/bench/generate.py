#!/usr/bin/env python3
"""Generates the 10k-case benchmark suites: the same trivial test cases, each
verifying one requirement, with attest markers (attest), as plain Boost.Test with
labels (plain, the anchor), as coroutine tests (async, for async/run.sh) and as
pytest functions (pytest).

usage: generate.py OUT_DIR [--tests N] [--files F] [--variants attest,plain,pytest]
"""
import argparse
import pathlib

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--tests", type=int, default=10000)
ap.add_argument("--files", type=int, default=20)
ap.add_argument("--variants", default="attest,plain,pytest")
args = ap.parse_args()
variants = args.variants.split(",")

out = pathlib.Path(args.out)
per_file = (args.tests + args.files - 1) // args.files

for variant in [v for v in variants if v in ("attest", "plain", "async")]:
    d = out / variant
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in range(args.files):
        lines = []
        if variant in ("attest", "async"):
            lines.append("#include <attest/attest.hpp>")
            if variant == "async":
                lines.append("#include <attest/async.hpp>")
        else:
            if f == 0:
                lines.append("#define BOOST_TEST_MODULE plain")
            lines.append("#include <boost/test/unit_test.hpp>")
        lines.append(f"BOOST_AUTO_TEST_SUITE(s{f:03d})")
        for _ in range(per_file):
            if n >= args.tests:
                break
            req = f"FR-{n % 2000:05d}"
            deco = (f'*boost::unit_test::label("{req}") * boost::unit_test::label("unit")'
                    if variant == "plain" else f'*attest::requirement("{req}") * attest::mark("unit")')
            if variant == "async":
                lines.append(f"ATTEST_ASYNC_TEST_CASE(t{n:05d}, {deco}) {{ BOOST_TEST({n} >= 0); co_return; }}")
            else:
                lines.append(f"BOOST_AUTO_TEST_CASE(t{n:05d}, {deco}) {{ BOOST_TEST({n} >= 0); }}")
            n += 1
        lines.append("BOOST_AUTO_TEST_SUITE_END()")
        (d / f"tests_{f:03d}.cpp").write_text("\n".join(lines) + "\n")

if "pytest" not in variants:
    raise SystemExit(0)
# pytest, the anchor for collection and run time: the same cases with markers.
d = out / "pytest"
d.mkdir(parents=True, exist_ok=True)
(d / "pytest.ini").write_text("[pytest]\nmarkers =\n    unit: unit\n    req(id): requirement\n")
lines = ["import pytest", ""]
for n in range(args.tests):
    lines += [f'@pytest.mark.req("FR-{n % 2000:05d}")', "@pytest.mark.unit",
              f"def test_t{n:05d}():", f"    assert {n} >= 0", ""]
(d / "test_bench.py").write_text("\n".join(lines))
