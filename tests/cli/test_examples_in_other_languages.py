"""The YAML and TypeScript examples: the YAML one with the real CLI against the emulator, the
TypeScript one under the Node.js SDK's mocks (its own test, `npm test`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from tests.cli.conftest import npm
from tests.support.pulumi_cli import REPO, PulumiProject

FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=3)).isoformat()


def test_the_yaml_example_previews_creates_and_destroys(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, REPO / "examples" / "yaml-gcs-raw")
    project.use_emulator(emulator.base_url)
    project.config("bucket", "acme-mixpanel-raw")
    project.config("fromDate", FROM_DATE)
    assert "+  mixpanel:index:GcsRawPipeline raw-events create" in project.run("preview")
    assert admin.requests() == []
    project.up()
    assert project.outputs() == {"pipelineNames": ["events-hourly-gcs-raw"], "health": "starting"}
    assert admin.pipeline("events-hourly-gcs-raw")["params"]["gcs_prefix"] == "mixpanel/raw/"
    project.run("preview", "--expect-no-changes")
    project.run("destroy", "--yes")
    assert admin.pipelines() == []


def test_the_typescript_example_passes_its_own_test_under_mocks(tmp_path, nodejs_sdk):
    example = tmp_path / "typescript-s3"
    shutil.copytree(
        REPO / "examples" / "typescript-s3",
        example,
        ignore=shutil.ignore_patterns("node_modules", "bin", "package-lock.json"),
    )
    manifest = json.loads((example / "package.json").read_text())
    manifest["dependencies"]["@pulumi-mixpanel/mixpanel"] = f"file:{nodejs_sdk}"
    (example / "package.json").write_text(json.dumps(manifest, indent=2))
    npm("install", cwd=example)
    output = npm("test", cwd=example)
    assert "# pass 1" in output and "# fail 0" in output
