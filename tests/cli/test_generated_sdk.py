"""The checked-in Node.js SDK is what the generator makes from the checked-in schema."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pulumi_cli import REPO

SDK = REPO / "sdk" / "nodejs"
NOT_GENERATED = {"node_modules", "bin", "package-lock.json"}


def generated_files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and not NOT_GENERATED & set(p.relative_to(root).parts)
    }


def test_the_nodejs_sdk_is_up_to_date(tmp_path):
    generator = shutil.which("pulumi-gen-nodejs-sdk")
    if generator is None:
        pytest.fail(
            "pulumi-gen-nodejs-sdk is built by scripts/install-pulumi-cli.sh; run the tests through ./scripts/test.sh"
        )
    fresh = tmp_path / "nodejs"
    subprocess.run(
        [generator, "--schema", str(REPO / "provider/pulumi_mixpanel/plugin/schema.json"), "--out", str(fresh)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert generated_files(fresh) == generated_files(SDK), "run ./scripts/generate-sdks.sh"
    stale = [str(path) for path in generated_files(fresh) if not filecmp.cmp(fresh / path, SDK / path, shallow=False)]
    assert stale == [], f"stale generated files {stale}: run ./scripts/generate-sdks.sh"
