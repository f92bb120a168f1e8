#!/usr/bin/env python3
"""Checks that every snippet in a Markdown guide is the compiled code, verbatim.

A fenced block preceded by `<!-- snippet: PATH#NAME -->` must equal the lines
between the two `// [NAME]` (or, in CMake and shell files, `# [NAME]`) markers in PATH (relative to the repository root);
`<!-- snippet: PATH -->` quotes the whole file. Exit 1 names each drift with
file:line; exit 2 for a snippet pointing at nothing.
usage: check-doc-snippets.py [--fix] GUIDE.md [...]   (--fix rewrites drifted blocks)
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
marker = re.compile(r"<!--\s*snippet:\s*([^#\s]+)(?:#(\S+))?\s*-->")
status = 0
checked = 0
fix = "--fix" in sys.argv[1:]

for guide in [a for a in sys.argv[1:] if a != "--fix"]:
    lines = pathlib.Path(guide).read_text().splitlines()
    fixes = []
    for i, line in enumerate(lines):
        m = marker.search(line)
        if not m:
            continue
        path, name = m.group(1), m.group(2)
        where = f"{guide}:{i + 1}"
        source = root / path
        if not source.is_file():
            print(f"{where}: snippet source {path} does not exist")
            sys.exit(2)
        src = source.read_text().splitlines()
        if name:
            # `// [NAME]` in C++, `# [NAME]` in CMake and shell.
            tags = [j for j, l in enumerate(src) if l.strip() in (f"// [{name}]", f"# [{name}]")]
            if len(tags) != 2:
                print(f"{where}: {path} needs exactly two '// [{name}]' (or '# [{name}]') lines, "
                      f"has {len(tags)}")
                sys.exit(2)
            expected = src[tags[0] + 1:tags[1]]
        else:
            expected = src
        j = i + 1
        if j >= len(lines) or not lines[j].startswith("```"):
            print(f"{where}: a snippet marker must be followed by a fenced block")
            sys.exit(2)
        end = j + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        actual = lines[j + 1:end]
        checked += 1
        if actual != expected and fix:
            fixes.append((j + 1, end, expected))
        elif actual != expected:
            status = 1
            print(f"{where}: snippet differs from {path}{'#' + name if name else ''}")
            for a, e in zip(actual + [""] * len(expected), expected + [""] * len(actual)):
                if a != e:
                    print(f"    guide:  {a!r}\n    source: {e!r}")
                    break
    for start, end, expected in reversed(fixes):
        lines[start:end] = expected
    if fixes:
        pathlib.Path(guide).write_text("\n".join(lines) + "\n")
        print(f"{guide}: rewrote {len(fixes)} snippets")

print(f"check-doc-snippets: {checked} snippets checked, {'all match' if status == 0 else 'drift found'}")
sys.exit(status)
