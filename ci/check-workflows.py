#!/usr/bin/env python3
"""Checks GitHub Actions workflows offline (no runner here): each file parses as YAML, has its
triggers and jobs, every `needs` names a job of the file, every `inputs.X` is a declared
workflow_dispatch input, every action used is one of the known official ones, and every script a
`run:` step calls (ci/*.sh, ci/*.py, ci/k8s/*) exists in the repository and is executable or run
by an interpreter.

usage: check-workflows.py DIR_OR_FILE...   Exit 0 when all hold, 1 otherwise (a line per problem,
file: job: message), 2 for unreadable input.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWN_ACTIONS = {"actions/checkout", "actions/cache", "actions/upload-artifact",
                 "actions/download-artifact", "actions/setup-python"}
SCRIPT = re.compile(r"(?:^|[\s;&|(])((?:\./)?ci/[\w./-]+\.(?:sh|py))")
problems = []


def check(path):
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}")
        sys.exit(2)
    if not isinstance(doc, dict):
        problems.append(f"{path}: not a workflow (a mapping)")
        return
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    if not triggers:
        problems.append(f"{path}: no triggers (`on:`)")
    jobs = doc.get("jobs") or {}
    if not jobs:
        problems.append(f"{path}: no jobs")
    inputs = set()
    if isinstance(triggers, dict) and isinstance(triggers.get("workflow_dispatch"), dict):
        inputs = set((triggers["workflow_dispatch"].get("inputs") or {}).keys())
    text = path.read_text()
    for used in sorted(set(re.findall(r"\binputs\.([A-Za-z_][\w-]*)", text))):
        if used not in inputs:
            problems.append(f"{path}: inputs.{used} is not a workflow_dispatch input")
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for n in [needs] if isinstance(needs, str) else needs:
            if n not in jobs:
                problems.append(f"{path}: {name}: needs '{n}', which is not a job")
        if not job.get("steps"):
            problems.append(f"{path}: {name}: no steps")
        for step in job.get("steps", []):
            if "uses" in step:
                action = step["uses"].split("@")[0]
                if action not in KNOWN_ACTIONS:
                    problems.append(f"{path}: {name}: unknown action {step['uses']}")
                elif "@" not in step["uses"]:
                    problems.append(f"{path}: {name}: {action} without a version")
            for script in SCRIPT.findall(step.get("run", "")):
                target = ROOT / script.removeprefix("./")
                if not target.is_file():
                    problems.append(f"{path}: {name}: runs {script}, which does not exist")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    files = []
    for p in map(Path, sys.argv[1:]):
        files += sorted(p.glob("*.y*ml")) if p.is_dir() else [p]
    if not files:
        print("check-workflows: no workflow files")
        return 2
    for f in files:
        check(f)
    for p in problems:
        print(p)
    print(f"check-workflows: {len(files)} workflow(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
