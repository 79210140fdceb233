"""The `mixpanel` provider plugin with the real CLI and a TypeScript program through the
generated SDK (sdk/nodejs, built with tsc): preview, up, a second preview, destroy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.cli.conftest import npm
from tests.support.pulumi_cli import PulumiProject

PROGRAM = Path(__file__).resolve().parent / "typescript_program"
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()


def test_a_typescript_program_through_the_generated_sdk(tmp_path, nodejs_sdk, emulator, admin):
    project = PulumiProject(tmp_path, PROGRAM)
    manifest = json.loads((project.dir / "package.json").read_text())
    manifest["dependencies"]["@pulumi-mixpanel/mixpanel"] = f"file:{nodejs_sdk}"
    (project.dir / "package.json").write_text(json.dumps(manifest, indent=2))
    npm("install", cwd=project.dir)
    project.config("endpoint", emulator.base_url)
    project.config("serviceAccountSecret", "emulator-secret", secret=True)
    project.config("fromDate", FROM_DATE)

    preview = project.run("preview")
    assert "+  mixpanel:index:S3RawPipeline raw-events create" in preview
    assert "+  pulumi:providers:mixpanel project create" in preview
    assert admin.requests() == []

    project.up()
    assert project.outputs() == {"pipelineNames": ["events-daily-s3-raw"]}
    params = admin.pipeline("events-daily-s3-raw")["params"]
    assert params["events"] == ["Signup", "Purchase"] and params["s3_region"] == "us-west-2"
    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes")
    assert admin.pipelines() == [] and len(admin.requests("cancel")) == 1
