"""Existing stacks keep working: a state written by pulumi-mixpanel 0.1.0 (its pickled provider
reference, its inputs and outputs) previews with no changes after the upgrade."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import pulumi_mixpanel
from harness.emulator import EmulatorAdmin, create_outside_pulumi
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.homes import assert_state_is_mixpanel
from tests.support.pulumi_cli import PulumiProject

FIXTURE = Path(__file__).resolve().parents[1] / "reference" / "state-0.1.0"
PROGRAM = Path(__file__).resolve().parent / "python_program"
CAPTURED_AT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
SECRETS = {"azureClientSecret": "UPGRADE-AZ-SECRET-1", "snowflakePassword": "UPGRADE-SF-SECRET-2"}


@pytest.fixture
def emulator_of_that_day():
    """The Mixpanel project of the captured stack, on the day it was captured."""
    with EmulatorServer(port=0, clock=lambda: CAPTURED_AT) as server:
        pipelines = json.loads((FIXTURE / "pipelines.json").read_text())
        for spec in pipelines.values():
            values = {"type": getattr(pulumi_mixpanel, spec["class"]).TYPE, **spec["args"]}
            values.update({field: SECRETS[key] for field, key in spec.get("secret_args", {}).items()})
            values.pop("paused", None)
            create_outside_pulumi(server.base_url, values, today=CAPTURED_AT.date())
        yield server, pipelines


def test_a_state_of_release_0_1_0_previews_with_no_changes(tmp_path, emulator_of_that_day):
    emulator, pipelines = emulator_of_that_day
    admin = EmulatorAdmin(emulator.base_url)
    state = json.loads((FIXTURE / "state-0.1.0.json").read_text())
    providers = [r for r in state["deployment"]["resources"] if r["type"] == "pulumi:providers:pulumi-python"]
    assert all(r["outputs"]["__provider"] for r in state["deployment"]["resources"] if "MixpanelPipeline" in r["type"])
    for provider in providers:  # the emulator listens on another port today
        provider["inputs"]["mixpanel:endpoint"] = emulator.base_url
        provider["outputs"]["mixpanel:endpoint"] = emulator.base_url
    (tmp_path / "state.json").write_text(json.dumps(state))

    project = PulumiProject(tmp_path, PROGRAM, stack="upgrade")
    project.run("stack", "import", "--file", str(tmp_path / "state.json"))
    project.use_emulator(emulator.base_url)
    for key, value in SECRETS.items():
        project.config(f"e2e:{key}", value, secret=True)
    project.set_pipelines(pipelines)
    admin.clear_requests()

    project.run("preview", "--expect-no-changes")
    assert admin.requests() == []
    refreshed = project.run("refresh", "--yes")
    assert "deleted" not in refreshed
    # The state learns where its pipelines live the first time it is read.
    assert_state_is_mixpanel(project.export(), {(emulator.base_url, "1"): admin})
    project.run("preview", "--expect-no-changes")
    assert "5 unchanged" in project.run("up", "--yes")
    assert {e["op"] for e in admin.requests()} <= {"jobs", "status"}

    project.run("destroy", "--yes")  # the trial is retained, as the program says
    assert sorted(p["name"] for p in admin.pipelines()) == [
        "trial-events-daily-bigquery-monoschema",
        "trial-people-daily-bigquery-monoschema",
    ]
