#!/usr/bin/env python3
"""Fails when test sources sleep instead of polling.

Flags `sleep_for`, `sleep_until`, `usleep(`, `nanosleep(` and `sleep(` in C and C++
sources below the given directories, naming file:line; a line may opt out
with a trailing `// attest: allow-sleep` comment (say why next to it).
usage: check-no-sleep.py DIR... [--exclude PATH]...
exit: 0 clean, 1 sleeps found, 2 usage error.
"""
import pathlib
import re
import sys

SLEEP = re.compile(r"\bsleep_for\b|\bsleep_until\b|\busleep\s*\(|\bnanosleep\s*\(|(?<![\w.])sleep\s*\(")
SOURCES = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp"}

args = sys.argv[1:]
roots, excludes = [], []
while args:
    a = args.pop(0)
    if a == "--exclude":
        if not args:
            print("check-no-sleep: --exclude needs a path", file=sys.stderr)
            sys.exit(2)
        excludes.append(pathlib.Path(args.pop(0)).resolve())
    else:
        roots.append(pathlib.Path(a))
if not roots:
    print(__doc__, file=sys.stderr)
    sys.exit(2)

found = 0
for root in roots:
    if not root.exists():
        print(f"check-no-sleep: {root}: no such directory", file=sys.stderr)
        sys.exit(2)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in SOURCES)
    for path in files:
        resolved = path.resolve()
        if any(resolved == e or e in resolved.parents for e in excludes):
            continue
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            code = line.split("//", 1)[0]
            if SLEEP.search(code) and "attest: allow-sleep" not in line:
                print(f"{path}:{n}: sleeps instead of polling (use attest::wait_for...): {line.strip()}")
                found += 1

print(f"check-no-sleep: {found} sleep{'s' if found != 1 else ''} found" if found else "check-no-sleep: no sleeps")
sys.exit(1 if found else 0)
