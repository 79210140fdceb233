"""Operations through the real CLI: a refresh warns when a pipeline's recent exports failed (both
front ends) and records its health; the functions read what a project has, through explicit
providers (YAML) and from a Python program on the dynamic resource."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harness import inputs as valid
from harness.emulator import EmulatorAdmin, create_outside_pulumi
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.pulumi_cli import PulumiProject

HERE = Path(__file__).resolve().parent
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()


def flat(output: str) -> str:
    return " ".join(output.split())


def fail_its_exports(admin: EmulatorAdmin, name: str) -> None:
    """The bucket's permission is revoked: from now on every task of `name` fails; three days pass."""
    admin.set_task_outcome(name, "failed")
    admin.advance_clock(3 * 86400)


def assert_warned(output: str, name: str) -> None:
    text = flat(output)
    assert f"warning: Mixpanel pipeline {name}: " in text and "export tasks failed or timed out" in text, output
    assert "It is still failing. Check that Mixpanel can still write to the destination" in text


def test_a_refresh_warns_about_failing_exports_through_the_plugin(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.config("fromDate", FROM_DATE)
    project.use_emulator(emulator.base_url)
    project.up()
    assert project.resources()["events"]["outputs"]["health"] == "starting"
    fail_its_exports(admin, "events-daily-gcs-raw")
    admin.clear_requests()

    assert_warned(project.run("refresh", "--yes"), "events-daily-gcs-raw")
    assert {e["op"] for e in admin.requests()} == {"status"}  # health costs no call of its own
    outputs = project.resources()["events"]["outputs"]
    assert outputs["health"] == "failing" and outputs["recentFailures"] >= 3 and outputs["lastFailureAt"]
    assert_warned(project.run("up", "--refresh", "--yes", "--skip-preview"), "events-daily-gcs-raw")


def test_a_refresh_warns_about_failing_exports_through_the_dynamic_resource(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "python_program")
    project.use_emulator(emulator.base_url)
    args = {"gcs_bucket": "acme-raw", "gcs_region": "us-central1", "from_date": FROM_DATE}
    project.set_pipelines({"raw": {"class": "GcsRawPipelineArgs", "args": args}})
    project.up()
    fail_its_exports(admin, "events-daily-gcs-raw")

    assert_warned(project.run("refresh", "--yes"), "events-daily-gcs-raw")
    outputs = project.resources()["raw"]["outputs"]
    assert outputs["health"] == "failing" and outputs["recent_failures"] >= 3

    # The same reads as the plugin's functions, as plain functions of the package.
    project.config("e2e:listPipelines", "true")
    project.up()
    assert project.outputs()["listed"] == {"events-daily-gcs-raw": "failing"}


@pytest.fixture
def projects():
    with (
        EmulatorServer(port=0, project_id=1, relax_limits=True) as us,
        EmulatorServer(port=0, project_id=2, relax_limits=True) as eu,
    ):
        yield us, eu


def test_the_functions_read_each_project_through_its_explicit_provider_from_yaml(tmp_path, projects):
    us, eu = projects
    create_outside_pulumi(
        us.base_url, valid.inputs("gcs-raw", frequency="hourly"), ("emulator", "emulator-secret", "1")
    )
    (watched,) = create_outside_pulumi(eu.base_url, valid.inputs("s3-raw"))
    fail_its_exports(EmulatorAdmin(eu.base_url), watched)
    project = PulumiProject(tmp_path, HERE / "yaml_functions")
    project.config("usEndpoint", us.base_url)
    project.config("euEndpoint", eu.base_url)
    project.config("watched", watched)

    preview = project.run("preview")  # functions are reads: a preview makes them too
    assert "error" not in preview.lower()
    project.up()
    outputs = project.outputs()
    assert [(p["name"], p["type"], p["frequency"], p["recurring"]) for p in outputs["usPipelines"]] == [
        ("events-hourly-gcs-raw", "gcs-raw", "hourly", True)
    ]
    assert [p["name"] for p in outputs["euPipelines"]] == [watched]
    assert outputs["watchedHealth"] == "failing" and outputs["watchedFailures"] >= 3
    assert outputs["watchedCounts"]["failed"] == outputs["watchedFailures"]
