"""Steps of scripts/build-plugin-archive.sh that are clearer in Python than in sh (not shipped).

clean SITE...                      drop what `pip install --target` adds outside the packages
split OUT_LIB VERSION=SITE...      move entries identical in every SITE to OUT_LIB/common,
                                   the others to OUT_LIB/pythonVERSION
check LIB VERSION WHEEL_VERSION    run by pythonVERSION: the packages on its path are exactly
                                   pulumi-mixpanel's dependency closure (no extras), complete
smoke ROOT PYTHON                  start ROOT's launcher on PYTHON, read the port it prints,
                                   connect to it, stop it; fail if it wrote into ROOT
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path


def fail(message: str) -> None:
    print(f"stage.py: {message}", file=sys.stderr)
    sys.exit(1)


def clean(sites: list[str]) -> None:
    """Console scripts (their shebangs name the build's interpreter, and the archive runs the
    plugin its own way) and direct_url.json (the wheel's build path) differ per build: drop them
    and their RECORD lines, so the same package installs identically for every version."""
    for site in map(Path, sites):
        shutil.rmtree(site / "bin", ignore_errors=True)
        for dist_info in site.glob("*.dist-info"):
            (dist_info / "direct_url.json").unlink(missing_ok=True)
            record = dist_info / "RECORD"
            if record.exists():
                kept = [
                    line
                    for line in record.read_text().splitlines()
                    if not line.startswith("../") and not line.startswith(f"{dist_info.name}/direct_url.json,")
                ]
                record.write_text("".join(f"{line}\n" for line in kept))


def tree_digest(path: Path) -> str:
    """Names, kinds, executable bits and contents of everything under `path`."""
    digest = hashlib.sha256()
    for current, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            file = Path(current, name)
            info = file.lstat()
            digest.update(f"{file.relative_to(path)}\0{stat.S_IFMT(info.st_mode)}\0{info.st_mode & 0o111}\0".encode())
            if file.is_symlink():
                digest.update(os.readlink(file).encode())
            else:
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        for name in dirs:
            digest.update(f"{Path(current, name).relative_to(path)}/\0".encode())
    if path.is_file():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def split(out_lib: str, pairs: list[str]) -> None:
    sites = {version: Path(site) for version, _, site in (pair.partition("=") for pair in pairs)}
    common = Path(out_lib, "common")
    common.mkdir(parents=True)
    for version in sites:
        Path(out_lib, f"python{version}").mkdir()
    names = sorted({entry.name for site in sites.values() for entry in site.iterdir()})
    shared = 0
    for name in names:
        entries = [site / name for site in sites.values()]
        if all(entry.exists() for entry in entries) and len({tree_digest(entry) for entry in entries}) == 1:
            shutil.move(str(entries[0]), common / name)
            for entry in entries[1:]:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            shared += 1
        else:
            for version, site in sites.items():
                if (site / name).exists():
                    shutil.move(str(site / name), Path(out_lib, f"python{version}", name))
    print(f"stage.py: {shared} of {len(names)} entries shared by every version", file=sys.stderr)


def check(lib: str, version: str, wheel_version: str) -> None:
    if f"{sys.version_info[0]}.{sys.version_info[1]}" != version:
        fail(f"check for {version} must run on Python {version}, not {sys.version.split()[0]}")
    paths = [str(Path(lib, f"python{version}")), str(Path(lib, "common"))]
    sys.path[0:0] = paths
    # The archive's own `packaging` (a dependency of pulumi) evaluates the markers for this
    # interpreter, which is the one the archive will run these packages on.
    from importlib.metadata import distributions

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    installed = {}
    for dist in distributions(path=paths):
        name = canonicalize_name(dist.metadata["Name"])
        if name in installed:
            fail(f"Python {version}: {name} is installed twice")
        installed[name] = dist
    root = canonicalize_name("pulumi-mixpanel")
    if root not in installed:
        fail(f"Python {version}: pulumi-mixpanel is not installed")
    if installed[root].version != wheel_version:
        fail(f"Python {version}: pulumi-mixpanel is {installed[root].version}, the wheel says {wheel_version}")
    needed, queue = set(), [root]
    while queue:
        name = queue.pop()
        if name in needed:
            continue
        needed.add(name)
        for line in installed[name].requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            wanted = canonicalize_name(requirement.name)
            if wanted not in installed:
                fail(f"Python {version}: {name} requires {line}, which is not installed")
            if not requirement.specifier.contains(installed[wanted].version, prereleases=True):
                fail(f"Python {version}: {name} requires {line}, found {installed[wanted].version}")
            queue.append(wanted)
    extra = sorted(set(installed) - needed)
    if extra:
        fail(f"Python {version}: installed but not required without extras: {', '.join(extra)}")
    print(f"stage.py: Python {version}: {len(installed)} distributions, closure complete", file=sys.stderr)


def snapshot(root: Path) -> set[str]:
    return {str(Path(current, name)) for current, dirs, files in os.walk(root) for name in dirs + files}


def smoke(root: str, python: str) -> None:
    before = snapshot(Path(root))
    environment = {**os.environ, "PULUMI_MIXPANEL_PYTHON": python}
    started = time.monotonic()
    process = subprocess.Popen(
        [str(Path(root, "pulumi-resource-mixpanel"))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    first_line: list[bytes] = []
    reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=120)
    elapsed = time.monotonic() - started
    try:
        line = first_line[0].decode().strip() if first_line else ""
        if not line.isdigit():
            process.kill()
            _, stderr = process.communicate(timeout=30)
            fail(f"{python}: expected a port on stdout, got {line!r}; stderr:\n{stderr.decode()}")
        with socket.create_connection(("127.0.0.1", int(line)), timeout=10):
            pass
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    written = sorted(snapshot(Path(root)) - before)
    if written:
        fail(f"{python}: the plugin wrote into the archive at start-up: {', '.join(written[:5])}")
    print(f"stage.py: {python}: port {line} after {elapsed:.2f} s", file=sys.stderr)


def main() -> None:
    command, *arguments = sys.argv[1:] or [""]
    if command == "clean" and arguments:
        clean(arguments)
    elif command == "split" and len(arguments) >= 2:
        split(arguments[0], arguments[1:])
    elif command == "check" and len(arguments) == 3:
        check(*arguments)
    elif command == "smoke" and len(arguments) == 2:
        smoke(*arguments)
    else:
        fail(f"usage:\n{__doc__}")


if __name__ == "__main__":
    main()
