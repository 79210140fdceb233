"""Run the real Pulumi CLI on a project copied into a temporary folder, with its own
PULUMI_HOME and a file backend, against an emulator."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import yaml

from harness.cli import DYNAMIC_PROGRAM_ENV
from harness.servers import emulator_settings

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "e2e-passphrase"


def pulumi_executable() -> str:
    found = shutil.which("pulumi")
    if found is None:
        raise RuntimeError(
            "the end-to-end tests need the Pulumi CLI on PATH: run them through ./scripts/test.sh, "
            "or put the output of scripts/install-pulumi-cli.sh on PATH"
        )
    return found


def path_without_this_checkout() -> str:
    """PATH without this test run's virtualenv (where the checkout's plugin is) nor any other."""
    venv_bin = str(Path(sys.prefix) / "bin")
    return os.pathsep.join(
        entry for entry in os.environ["PATH"].split(os.pathsep) if entry and entry != venv_bin and "/.venv" not in entry
    )


class PulumiProject:
    """A copy of `program` with a stack of its own. By default it runs on this checkout: the test
    virtualenv's plugin on PATH, Python programs in that virtualenv, no plugin downloads. With
    `as_a_user=True` it runs as a user's machine would: nothing of the checkout on PATH, the
    program's own virtualenv, and the CLI installing plugins by itself (`extra_env` adds to it)."""

    def __init__(
        self,
        workdir: Path,
        program: Path,
        stack: str = "e2e",
        *,
        as_a_user: bool = False,
        extra_env: Optional[dict] = None,
    ) -> None:
        self.dir = workdir / "project"
        shutil.copytree(program, self.dir, ignore=shutil.ignore_patterns("__pycache__", ".venv", "Pulumi.*.yaml"))
        manifest = (self.dir / "Pulumi.yaml").read_text()
        runtime = yaml.safe_load(manifest)["runtime"]
        on_this_checkout_in_python = (
            not as_a_user and (runtime if isinstance(runtime, str) else runtime["name"]) == "python"
        )
        if on_this_checkout_in_python:
            # Run the program in this test run's virtualenv, where pulumi_mixpanel is installed.
            manifest, count = re.subn(r"(?m)^(\s*virtualenv:).*$", rf"\g<1> {Path(sys.prefix)}", manifest)
            assert count == 1, "the project's Pulumi.yaml must set runtime.options.virtualenv"
            (self.dir / "Pulumi.yaml").write_text(manifest)
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MIXPANEL_", "PULUMI_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")
        }
        self.env = {
            **inherited,
            "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "PULUMI_HOME": str(workdir / "home"),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "1",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        }
        if on_this_checkout_in_python:
            self.env.update(DYNAMIC_PROGRAM_ENV)
        if as_a_user:
            self.env["PATH"] = f"{Path(pulumi_executable()).parent}{os.pathsep}{path_without_this_checkout()}"
            del self.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"]
        self.env.update(extra_env or {})
        self.pulumi = pulumi_executable()
        (workdir / "backend").mkdir()
        self.run("login", f"file://{workdir / 'backend'}")
        self.run("stack", "init", stack)

    def run(self, *args: str, ok: bool = True, extra_env: Optional[dict] = None) -> str:
        result = subprocess.run(
            [self.pulumi, *args, "--non-interactive"],
            cwd=self.dir,
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        if ok and result.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed ({result.returncode}):\n{result.stdout}")
        if not ok and result.returncode == 0:
            raise AssertionError(f"pulumi {' '.join(args)} was expected to fail:\n{result.stdout}")
        return result.stdout

    def config(self, key: str, value: str, secret: bool = False) -> None:
        self.run("config", "set", *(["--secret"] if secret else []), key, value)

    def use_emulator(self, base_url: str, secret: str = "emulator-secret", prefix: str = "mixpanel:") -> None:
        for key, value in emulator_settings(base_url, secret).items():
            self.config(prefix + key, value, secret=key == "serviceAccountSecret")

    def set_pipelines(self, pipelines: dict) -> None:
        self.config("e2e:pipelines", json.dumps(pipelines))

    def up(self) -> str:
        return self.run("up", "--yes", "--skip-preview")

    def outputs(self) -> dict:
        return json.loads(self.run("stack", "output", "--json"))

    def resources(self) -> dict:
        """The state's resources by name (the last part of the URN)."""
        deployment = json.loads(self.export())["deployment"]
        return {r["urn"].split("::")[-1]: r for r in deployment.get("resources", [])}

    def export(self) -> str:
        return self.run("stack", "export")
