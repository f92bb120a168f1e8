#!/usr/bin/env python3
"""Cross-references in attest's Kubernetes manifests that schemas cannot see.

usage: check-manifests.py DIR_OR_FILE...
Checks, for every document found (*.yaml, multi-document):
  - each Service's selector matches the pod labels of some Deployment/StatefulSet/Job, and
    its named targetPorts are container ports of those pods;
  - each secretKeyRef names a Secret in the manifests that has that key;
  - a StatefulSet's serviceName is a Service;
  - every namespaced object lives in a Namespace the manifests create;
  - an env value's $(VAR) names an earlier variable of the same container;
  - the Indexed Job: completions == parallelism == ATTEST_TOTAL_SHARDS, restartPolicy Never
    (podFailurePolicy needs it), the policy's containerName exists, pods run as non-root, and
    ATTEST_POSTGRES_URL / ATTEST_REDIS_URL point at Services of the manifests, on their ports.
One line per problem: `path#index Kind/name: message`. Exit 0 when none, 1 otherwise, 2 for
unreadable input.
"""
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

problems = []
docs = []  # (label, doc)


def load(paths):
    files = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
    for f in files:
        try:
            for i, d in enumerate(yaml.safe_load_all(f.read_text())):
                if isinstance(d, dict) and d.get("kind"):
                    docs.append((f"{f}#{i} {d['kind']}/{d.get('metadata', {}).get('name', '?')}", d))
        except (OSError, yaml.YAMLError) as e:
            print(f"{f}: {e}")
            sys.exit(2)


def problem(label, message):
    problems.append(f"{label}: {message}")


def pod_spec(doc):
    if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
        return doc.get("spec", {}).get("template", {})
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    load(sys.argv[1:])
    namespaces = {d["metadata"]["name"] for _, d in docs if d["kind"] == "Namespace"}
    secrets = {(d["metadata"].get("namespace"), d["metadata"]["name"]):
               set(d.get("stringData", {})) | set(d.get("data", {}))
               for _, d in docs if d["kind"] == "Secret"}
    services = {(d["metadata"].get("namespace"), d["metadata"]["name"]): d
                for _, d in docs if d["kind"] == "Service"}
    pods = [(label, d["metadata"].get("namespace"), pod_spec(d)) for label, d in docs if pod_spec(d)]

    for label, d in docs:
        ns = d["metadata"].get("namespace")
        if d["kind"] != "Namespace" and ns not in namespaces:
            problem(label, f"namespace {ns!r} is not created by these manifests")

    for (ns, name), svc in services.items():
        label = next(l for l, d in docs if d is svc)
        selector = svc.get("spec", {}).get("selector", {})
        matching = [t for _, pns, t in pods if pns == ns and selector and
                    all(t.get("metadata", {}).get("labels", {}).get(k) == v for k, v in selector.items())]
        if not matching:
            problem(label, f"selector {selector} matches no pod template")
            continue
        ports = {p.get("name") for t in matching for c in t["spec"].get("containers", [])
                 for p in c.get("ports", [])}
        for p in svc["spec"].get("ports", []):
            target = p.get("targetPort")
            if isinstance(target, str) and target not in ports:
                problem(label, f"targetPort {target!r} is no container port of the selected pods")

    for label, ns, template in pods:
        for c in template.get("spec", {}).get("containers", []):
            seen = set()
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref.get("key") not in secrets.get((ns, ref.get("name")), set()):
                    problem(label, f"container {c['name']}: secret {ref.get('name')!r} has no key "
                                   f"{ref.get('key')!r}")
                for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", e.get("value", "")):
                    if var not in seen:
                        problem(label, f"container {c['name']}: {e['name']} uses $({var}), "
                                       "not defined before it")
                seen.add(e["name"])

    for label, d in docs:
        if d["kind"] == "StatefulSet":
            if (d["metadata"].get("namespace"), d["spec"].get("serviceName")) not in services:
                problem(label, f"serviceName {d['spec'].get('serviceName')!r} is not a Service")
        if d["kind"] != "Job":
            continue
        spec = d["spec"]
        ns = d["metadata"].get("namespace")
        if spec.get("completionMode") != "Indexed":
            problem(label, "the test runner must be an Indexed Job (completionMode: Indexed)")
        pod = spec["template"]["spec"]
        if pod.get("restartPolicy") != "Never":
            problem(label, "restartPolicy must be Never (podFailurePolicy requires it)")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problem(label, "pods must run as non-root (securityContext.runAsNonRoot: true)")
        names = {c["name"] for c in pod.get("containers", [])}
        for rule in spec.get("podFailurePolicy", {}).get("rules", []):
            cname = rule.get("onExitCodes", {}).get("containerName")
            if cname and cname not in names:
                problem(label, f"podFailurePolicy names container {cname!r}, which the pod lacks")
        for c in pod.get("containers", []):
            env = {e["name"]: e.get("value") for e in c.get("env", [])}
            total = env.get("ATTEST_TOTAL_SHARDS")
            if total is None or not (str(spec.get("completions")) == str(spec.get("parallelism")) == total):
                problem(label, f"completions ({spec.get('completions')}), parallelism "
                               f"({spec.get('parallelism')}) and ATTEST_TOTAL_SHARDS ({total}) must be equal")
            for var in ("ATTEST_POSTGRES_URL", "ATTEST_REDIS_URL"):
                if var not in env:
                    problem(label, f"container {c['name']}: {var} is not set")
                    continue
                url = urlsplit(re.sub(r"\$\([A-Za-z0-9_]+\)", "x", env[var]))
                host = url.hostname or ""
                parts = host.split(".")
                svc_ns = parts[1] if len(parts) > 1 else ns
                svc = services.get((svc_ns, parts[0]))
                if not svc:
                    problem(label, f"{var} points at {host!r}, not a Service of these manifests")
                elif url.port not in {p.get("port") for p in svc["spec"].get("ports", [])}:
                    problem(label, f"{var} uses port {url.port}, which Service {parts[0]!r} does not expose")

    for p in problems:
        print(p)
    print(f"check-manifests: {len(docs)} documents, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
