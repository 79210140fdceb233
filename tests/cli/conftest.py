"""Fixtures of the CLI tier: the Node.js SDK, built once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pulumi_cli import REPO


def npm(*args: str, cwd: Path) -> str:
    if shutil.which("npm") is None:
        pytest.fail("the TypeScript tests need Node.js and npm on PATH")
    result = subprocess.run(
        ["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout
    return result.stdout


@pytest.fixture(scope="session")
def nodejs_sdk() -> Path:
    """sdk/nodejs built into sdk/nodejs/bin, as README's "Other languages" builds it."""
    result = subprocess.run(
        [str(REPO / "scripts" / "build-nodejs-sdk.sh")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout
    built = Path(result.stdout.strip().splitlines()[-1])
    assert (built / "index.js").exists() and (built / "package.json").exists()
    return built
