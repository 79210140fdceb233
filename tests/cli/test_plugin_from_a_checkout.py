"""The plugin run from a checkout (`provider/PulumiPlugin.yaml`) through `plugins: providers:` in a
project's Pulumi.yaml, instead of the `pulumi-resource-mixpanel` on PATH."""

from __future__ import annotations

import datetime as dt

from tests.support.pulumi_cli import REPO, PulumiProject

FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=3)).isoformat()


def test_a_yaml_program_uses_the_plugin_of_a_checkout(tmp_path, emulator, admin):
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text(
        f"""name: from-checkout
runtime: yaml
plugins:
  providers:
    - name: mixpanel
      path: {REPO / "provider"}
resources:
  raw:
    type: mixpanel:index:GcsRawPipeline
    properties:
      gcsBucket: acme-raw
      gcsRegion: us-central1
      fromDate: "{FROM_DATE}"
"""
    )
    project = PulumiProject(tmp_path / "work", program)
    project.use_emulator(emulator.base_url)
    output = project.up()
    # The CLI names the plugin it took from PATH; from the checkout, it says nothing.
    assert "using pulumi-resource-mixpanel from $PATH" not in output
    assert [p["name"] for p in admin.pipelines()] == ["events-daily-gcs-raw"]
    project.run("destroy", "--yes")
    assert admin.pipelines() == []
