#!/usr/bin/env python3
"""One workload of ci/k8s/manifests as `docker run` arguments, under the pod's own constraints.

simulate-job.sh --containers runs the Job's indexes, PostgreSQL and Redis as containers with
these: the pod's user and groups, a read-only root file system when the container asks for one,
a tmpfs where the pod mounts an emptyDir, the capabilities dropped, no privilege escalation,
the CPU and memory limits, the environment (values, $(VAR) references, Secret keys, the Job's
completion index), the command and arguments, the image (renamed through --image), and network
aliases for the Service that selects the pod. It prints one JSON object:
  {"args": [...docker run options...], "image": "...", "command": [...],
   "readiness": [...the readinessProbe's exec command, or []...]}
or, with --nul run|readiness, `docker run`'s arguments (options, image, command) or the probe's
command, each argument followed by a NUL (for bash's mapfile -d '').

usage: pod-to-docker.py MANIFEST_DIR KIND/NAME [--secret KEY=VALUE]... [--index I]
                        [--image FROM=TO]... [--env KEY=VALUE]... [--nul run|readiness]
Exit 2 for bad arguments or a workload the manifests do not have.
"""
import argparse
import json
import re
import sys
from pathlib import Path

import yaml

CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
MEMORY = re.compile(r"^(\d+)(Ki|Mi|Gi|Ti|K|M|G|T)?$")
MEMORY_UNITS = {None: "b", "K": "k", "M": "m", "G": "g", "T": "t"}


def fail(message):
    print(f"pod-to-docker: {message}", file=sys.stderr)
    sys.exit(2)


def load_documents(directory):
    documents = []
    for path in sorted(Path(directory).glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                documents.append(document)
    return documents


def cpus(quantity):
    match = CPU.match(str(quantity))
    if not match:
        fail(f"unsupported CPU quantity {quantity!r}")
    value = float(match.group(1))
    return value / 1000 if match.group(2) else value


def memory(quantity):
    match = MEMORY.match(str(quantity))
    if not match:
        fail(f"unsupported memory quantity {quantity!r}")
    unit = match.group(2)
    if unit and unit.endswith("i"):
        return match.group(1) + unit[0].lower()
    return match.group(1) + MEMORY_UNITS[unit]


def expand(value, env):
    """Kubernetes' $(VAR) references to variables defined earlier; $$ escapes."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), value)


def environment(container, secrets, index, annotations):
    env = {}
    for variable in container.get("env", []):
        name = variable["name"]
        if "value" in variable:
            env[name] = expand(str(variable["value"]), env)
            continue
        source = variable.get("valueFrom", {})
        if "secretKeyRef" in source:
            key = source["secretKeyRef"]["key"]
            if key not in secrets:
                fail(f"{name}: no --secret {key}=VALUE given")
            env[name] = secrets[key]
        elif "fieldRef" in source:
            path = source["fieldRef"]["fieldPath"]
            if "job-completion-index" in path:
                if index is None:
                    fail(f"{name}: {path} needs --index")
                env[name] = str(index)
            elif path in annotations:
                env[name] = annotations[path]
            else:
                fail(f"{name}: unsupported fieldRef {path}")
        else:
            fail(f"{name}: unsupported valueFrom {sorted(source)}")
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests")
    parser.add_argument("workload", help="KIND/NAME, e.g. Job/attest-tests")
    parser.add_argument("--secret", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--image", action="append", default=[], metavar="FROM=TO")
    parser.add_argument("--index", type=int)
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="one more variable for the container (after the manifest's)")
    parser.add_argument("--nul", choices=["run", "readiness"])
    arguments = parser.parse_args()

    kind, _, name = arguments.workload.partition("/")
    documents = load_documents(arguments.manifests)
    matches = [d for d in documents if d.get("kind") == kind and d.get("metadata", {}).get("name") == name]
    if not matches:
        fail(f"no {kind}/{name} in {arguments.manifests}")
    workload = matches[0]
    namespace = workload["metadata"].get("namespace", "default")
    pod = workload["spec"]["template"]["spec"]
    if len(pod["containers"]) != 1:
        fail(f"{kind}/{name}: one container expected, found {len(pod['containers'])}")
    container = pod["containers"][0]
    secrets = dict(s.split("=", 1) for s in arguments.secret)
    images = dict(i.split("=", 1) for i in arguments.image)

    args = []
    pod_security = pod.get("securityContext", {})
    security = {**pod_security, **container.get("securityContext", {})}
    if "runAsUser" in security:
        args += ["--user", f"{security['runAsUser']}:{security.get('runAsGroup', security['runAsUser'])}"]
    if "fsGroup" in pod_security:
        args += ["--group-add", str(pod_security["fsGroup"])]
    if security.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    if security.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges"]
    for capability in security.get("capabilities", {}).get("drop", []):
        args += ["--cap-drop", capability]
    for capability in security.get("capabilities", {}).get("add", []):
        args += ["--cap-add", capability]

    # An emptyDir is an empty, writable directory for the pod's life: a tmpfs, world-writable
    # as the kubelet makes it, and executable (Docker's tmpfs default is noexec).
    empty_dirs = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
    for mount in container.get("volumeMounts", []):
        if mount["name"] not in empty_dirs:
            fail(f"{kind}/{name}: volume {mount['name']} is not an emptyDir")
        args += ["--tmpfs", f"{mount['mountPath']}:rw,exec,mode=1777"]

    limits = container.get("resources", {}).get("limits", {})
    if "cpu" in limits:
        args += ["--cpus", f"{cpus(limits['cpu']):g}"]
    if "memory" in limits:
        args += ["--memory", memory(limits["memory"])]

    env = environment(container, secrets, arguments.index, {})
    env.update(e.split("=", 1) for e in arguments.env)
    for key, value in env.items():
        args += ["--env", f"{key}={value}"]

    # The Service that selects this pod answers under its short and its cluster names.
    for document in documents:
        if document.get("kind") != "Service" or document["metadata"].get("namespace") != namespace:
            continue
        selector = document["spec"].get("selector", {})
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            service = document["metadata"]["name"]
            for alias in (service, f"{service}.{namespace}", f"{service}.{namespace}.svc",
                          f"{service}.{namespace}.svc.cluster.local"):
                args += ["--network-alias", alias]

    command = container.get("command", [])
    if command:
        args += ["--entrypoint", command[0]]
    spec = {
        "args": args,
        "image": images.get(container["image"], container["image"]),
        "command": command[1:] + container.get("args", []),
        "readiness": container.get("readinessProbe", {}).get("exec", {}).get("command", []),
    }
    if arguments.nul == "run":
        words = spec["args"] + [spec["image"]] + spec["command"]
    elif arguments.nul == "readiness":
        words = spec["readiness"]
    else:
        print(json.dumps(spec))
        return
    sys.stdout.write("".join(word + "\0" for word in words))


if __name__ == "__main__":
    main()
