"""The README's install command, into a fresh virtualenv: the package, its data and its commands.

A wheel that misses `schema.json`, `py.typed` or a console script works from the checkout (the
suite's editable install) and fails for every user; only a real install shows it.
"""

from __future__ import annotations

import re
import subprocess
import venv
from pathlib import Path

import pytest

from tests.support.pulumi_cli import REPO

README_INSTALL = 'pip install "./[emulator]"'


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert README_INSTALL in (REPO / "README.md").read_text()
    environment = tmp_path_factory.mktemp("install") / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    pip = [str(environment / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    result = subprocess.run([*pip, "install", "./[emulator]"], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return environment


def run(environment: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(environment / "bin" / command[0]), *command[1:]], capture_output=True, text=True, timeout=120
    )


def test_the_package_is_installed_with_its_data(installed: Path) -> None:
    result = run(
        installed,
        "python",
        "-c",
        "import pathlib, pulumi_mixpanel as p; root = pathlib.Path(p.__file__).parent; print(root); "
        "print(*sorted(str(f.relative_to(root)) for f in root.rglob('*') if f.suffix in ('.json', '.typed', '.md')))",
    )
    assert result.returncode == 0, result.stderr
    root, files = result.stdout.splitlines()
    assert root.startswith(str(installed)), "imported from the checkout instead of the install"
    assert set(files.split()) >= {"py.typed", "pulumi-plugin.json", "plugin/schema.json", "emulator/README.md"}


def test_the_public_api_imports(installed: Path) -> None:
    result = run(installed, "python", "-c", "from pulumi_mixpanel import MixpanelPipeline, AwsPipelineArgs")
    assert result.returncode == 0, result.stderr


def test_the_commands_are_installed(installed: Path) -> None:
    assert run(installed, "mixpanel-adopt", "--help").returncode == 0
    emulator = subprocess.Popen(
        [str(installed / "bin" / "mixpanel-emulator"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", emulator.stdout.readline().strip())
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    # The plugin's handshake with the engine: its port, first line on stdout.
    plugin = subprocess.Popen(
        [str(installed / "bin" / "pulumi-resource-mixpanel"), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = plugin.stdout.readline().strip()
        assert port.isdigit(), plugin.stderr.read() if plugin.poll() is not None else port
    finally:
        plugin.terminate()
        plugin.wait(timeout=10)
