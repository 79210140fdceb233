"""The checked-in SDKs (sdk/nodejs, sdk/python, sdk/go) are what the generator makes from the
checked-in schema."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pulumi_cli import REPO

SCHEMA = REPO / "provider/pulumi_mixpanel/plugin/schema.json"

# What the languages' tooling writes beside the generated files (npm, tsc, setuptools);
# sdk/go holds only generated files (its go.mod and go.sum are one level up, in sdk/).
NOT_GENERATED = {
    "nodejs": {"node_modules", "bin", "package-lock.json"},
    "python": {"__pycache__", "build", "dist"},
    "go": set(),
}


def generated_files(root: Path, language: str) -> set[Path]:
    ignored = NOT_GENERATED[language]
    return {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file()
        and not any(part in ignored or part.endswith(".egg-info") for part in path.relative_to(root).parts)
    }


@pytest.mark.parametrize("language", sorted(NOT_GENERATED))
def test_the_sdk_is_up_to_date(tmp_path, language):
    generator = shutil.which("pulumi-gen-sdk")
    if generator is None:
        pytest.fail("pulumi-gen-sdk is built by scripts/install-pulumi-cli.sh; run the tests through ./scripts/test.sh")
    checked_in, fresh = REPO / "sdk" / language, tmp_path / language
    subprocess.run(
        [generator, "--language", language, "--schema", str(SCHEMA), "--out", str(fresh)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert generated_files(fresh, language) == generated_files(checked_in, language), "run ./scripts/generate-sdks.sh"
    stale = [
        str(path)
        for path in sorted(generated_files(fresh, language))
        if not filecmp.cmp(fresh / path, checked_in / path, shallow=False)
    ]
    assert stale == [], f"stale generated files in sdk/{language} {stale}: run ./scripts/generate-sdks.sh"
