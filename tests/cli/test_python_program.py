"""End to end with the real Pulumi CLI (preview, up, refresh, destroy) against the emulator,
with a Python program and the dynamic resource."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

import pulumi_mixpanel
from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.core.client import MixpanelClient, encode_fields
from pulumi_mixpanel.core.credentials import ServiceAccount
from pulumi_mixpanel.core.models import validate_pipeline
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.pulumi_cli import REPO, PulumiProject

PROGRAM = Path(__file__).resolve().parent / "python_program"

TYPE_TOKEN = "pulumi-python:dynamic/mixpanel:MixpanelPipeline"
TODAY = dt.datetime.now(dt.timezone.utc).date()
RECENT = (TODAY - dt.timedelta(days=5)).isoformat()
SA_SECRET = "E2E-SA-SECRET-7b1d"
CLIENT_SECRET = "E2E-AZ-SECRET-c3f9"
SNOWFLAKE_PASSWORD = "E2E-SF-SECRET-02ae"

AWS = {
    "class": "AwsPipelineArgs",
    "args": {
        "s3_bucket": "acme-export",
        "s3_region": "us-east-1",
        "s3_role": "arn:aws:iam::1:role/w",
        "from_date": RECENT,
        "events": ["Signup"],
        "use_glue": True,
        "glue_database": "db",
        "glue_role": "arn:aws:iam::1:role/g",
    },
}
AZURE = {
    "class": "AzureBlobPipelineArgs",
    "args": {
        "storage_account": "acme",
        "container_name": "mp",
        "client_id": "cid",
        "tenant_id": "tid",
        "from_date": RECENT,
        "to_date": TODAY.isoformat(),
        "data_format": "parquet",
        "schema_type": "multischema",
    },
    "secret_args": {"client_secret": "azureClientSecret"},
}
SNOWFLAKE = {
    "class": "SnowflakePipelineArgs",
    "args": {
        "data_source": "people",
        "snowflake_account_name": "acme",
        "snowflake_warehouse": "wh",
        "snowflake_storage_integration": "si",
        "snowflake_user": "mixpanel",
        "snowflake_role": "loader",
        "snowflake_database": "analytics",
        "snowflake_schema": "mixpanel",
        "from_date": RECENT,
    },
    "secret_args": {"snowflake_password": "snowflakePassword"},
}


@pytest.fixture
def emulator():
    with EmulatorServer(port=0, service_account=("emulator", SA_SECRET), project_id=1) as server:
        yield server


@pytest.fixture
def admin(emulator):
    return EmulatorAdmin(emulator.base_url)


@pytest.fixture
def project(tmp_path, emulator):
    project = PulumiProject(tmp_path, PROGRAM)
    project.use_emulator(emulator.base_url, SA_SECRET)
    project.config("e2e:azureClientSecret", CLIENT_SECRET, secret=True)
    project.config("e2e:snowflakePassword", SNOWFLAKE_PASSWORD, secret=True)
    return project


def sent_fields(spec: dict, secrets: dict) -> dict:
    """What the create request must carry for this spec, as the emulator records it."""
    values = {
        "type": getattr(pulumi_mixpanel, spec["class"]).TYPE,
        **spec["args"],
        **{field: secrets[key] for field, key in spec.get("secret_args", {}).items()},
    }
    model, problems = validate_pipeline(values, today=TODAY)
    assert problems == []
    fields: dict = {}
    for key, value in encode_fields(model.request_fields(today=TODAY)):
        fields.setdefault(key, []).append(value)
    return fields


def normalized(params: dict) -> dict:
    return {k: v if isinstance(v, list) else [v] for k, v in params.items()}


def test_preview_shows_the_plan_and_makes_no_api_call(tmp_path, emulator, admin):
    quickstart = PulumiProject(tmp_path, _quickstart_copy(tmp_path))
    quickstart.use_emulator(emulator.base_url, SA_SECRET)
    quickstart.config("quickstart:fromDate", RECENT)
    output = quickstart.run("preview")
    assert output.count(f"+  {TYPE_TOKEN}") >= 4
    for name in ("bigquery-trial", "aws-s3-glue", "azure-blob", "snowflake-people"):
        assert name in output
    assert admin.requests() == []


def test_invalid_input_fails_preview_with_every_problem_and_no_traceback(project, admin):
    broken = {**AWS, "args": {**AWS["args"], "glue_database": None, "from_date": "2026-13-45"}}
    broken["args"] = {k: v for k, v in broken["args"].items() if v is not None}
    project.set_pipelines({"aws": broken})
    output = project.run("preview", ok=False)
    assert "error: invalid AwsPipelineArgs (2 problems):" in output
    assert "- from_date: is not a real calendar date (got '2026-13-45')" in output
    assert "- glue_database: is required when use_glue is true" in output
    assert "Traceback" not in output and "pydantic" not in output
    # As from a wheel: the program needs no provider plugin, so none is started from PATH.
    assert "from $PATH" not in output
    assert admin.requests() == []


def test_a_rule_of_today_fails_the_providers_check_naming_the_property(project, admin):
    project.set_pipelines({"aws": {**AWS, "args": {**AWS["args"], "from_date": "2020-01-01"}}})
    output = project.run("preview", ok=False)
    assert "property from_date value {2020-01-01} has a problem: 2020-01-01 is more than six months ago" in output
    assert "Traceback" not in output
    assert admin.requests() == []


def test_up_creates_exactly_the_requested_pipelines_and_then_there_is_nothing_to_do(project, admin):
    pipelines = {"aws": AWS, "azure": AZURE, "snowflake": SNOWFLAKE}
    project.set_pipelines(pipelines)
    project.up()
    secrets = {"azureClientSecret": CLIENT_SECRET, "snowflakePassword": SNOWFLAKE_PASSWORD}
    held = {p["name"]: p for p in admin.pipelines()}
    assert set(held) == {
        "events-daily-aws-monoschema",
        "events-daily-azure-blob-multischema",
        "people-daily-snowflake-monoschema",
    }
    for name, spec in pipelines.items():
        (match,) = [p for p in held.values() if p["type"] == sent_fields(spec, secrets)["type"][0]]
        assert normalized(match["params"]) == sent_fields(spec, secrets), name
    output = project.run("preview", "--expect-no-changes")
    assert "4 unchanged" in output  # three pipelines and the stack
    project.run("refresh", "--yes")
    project.run("preview", "--expect-no-changes")


def test_update_replace_and_pause(project, admin):
    project.set_pipelines({"aws": AWS})
    project.up()
    (name,) = [p["name"] for p in admin.pipelines()]
    admin.clear_requests()

    project.set_pipelines(
        {
            "aws": {
                **AWS,
                "args": {**AWS["args"], "events": ["Signup", "Purchase"], "where": 'properties["plan"] == "pro"'},
            }
        }
    )
    output = project.up()
    assert "1 updated" in output
    assert [e["op"] for e in admin.requests()] == ["edit"]
    assert admin.pipeline(name)["params"]["events"] == ["Signup", "Purchase"]

    project.set_pipelines(
        {
            "aws": {
                **AWS,
                "args": {
                    **AWS["args"],
                    "events": ["Signup", "Purchase"],
                    "where": 'properties["plan"] == "pro"',
                    "paused": True,
                },
            }
        }
    )
    assert "1 updated" in project.up()
    assert admin.pipeline(name)["paused"] is True

    admin.clear_requests()
    moved = {**AWS, "args": {**AWS["args"], "s3_bucket": "acme-export-2"}}
    project.set_pipelines({"aws": moved})
    output = project.up()
    assert "1 replaced" in output
    assert [e["op"] for e in admin.requests() if e["op"] in ("create", "cancel")] == ["cancel", "create"]
    (replacement,) = admin.pipelines()
    assert replacement["params"]["s3_bucket"] == "acme-export-2"


def test_drift_refresh_drops_a_cancelled_pipeline_and_up_recreates_it(project, admin):
    project.set_pipelines({"aws": AWS})
    project.up()
    (name,) = [p["name"] for p in admin.pipelines()]
    admin.cancel_behind_the_back(name)
    output = project.run("refresh", "--yes")
    assert "1 deleted" in output
    output = project.up()
    assert "1 created" in output
    assert [p["name"] for p in admin.pipelines()] == [name]


def test_secret_credentials_work_for_every_command_and_no_secret_is_in_state(project, admin):
    project.set_pipelines({"azure": AZURE, "snowflake": SNOWFLAKE})
    project.up()
    project.run("refresh", "--yes")
    state = project.export()
    for secret in (SA_SECRET, CLIENT_SECRET, SNOWFLAKE_PASSWORD):
        assert secret not in state
    assert "ciphertext" in state
    resources = json.loads(state)["deployment"]["resources"]
    azure = next(r for r in resources if r["urn"].endswith("::azure"))
    assert azure["outputs"]["client_secret"]["4dabf18193072939515e22adb298388d"]
    # The engine keeps the default provider's config (all stack config, for dynamic providers)
    # in state; the credential is there only as ciphertext.
    provider = next(r for r in resources if r["type"] == "pulumi:providers:pulumi-python")
    assert "ciphertext" in provider["inputs"]["mixpanel:serviceAccountSecret"]
    project.run("destroy", "--yes")
    assert admin.pipelines() == []


def test_destroy_cancels_every_pipeline(project, admin):
    project.set_pipelines({"aws": AWS, "azure": AZURE, "snowflake": SNOWFLAKE})
    project.up()
    assert len(admin.pipelines()) == 3
    output = project.run("destroy", "--yes")
    assert "4 deleted" in output  # three pipelines and the stack
    assert admin.pipelines() == []
    assert len(admin.requests("cancel")) == 3


def test_adopt_existing_takes_over_without_recreating(project, admin, emulator):
    client = MixpanelClient(ServiceAccount("emulator", SA_SECRET, "1"), endpoint=emulator.base_url)
    values = {"type": "aws", **AWS["args"]}
    model, _ = validate_pipeline(values, today=TODAY)
    (name,) = client.create(model.request_fields(today=TODAY))["pipeline_names"]
    admin.clear_requests()
    project.set_pipelines({"aws": {**AWS, "args": {**AWS["args"], "adopt_existing": True}}})
    output = project.up()
    assert "+ 2 created" in output  # the stack and the adopted pipeline
    assert admin.requests("create") == []
    assert [p["name"] for p in admin.pipelines()] == [name]
    project.run("preview", "--expect-no-changes")


def test_classic_trial_example_previews_against_the_emulator(tmp_path, emulator, admin):
    example = PulumiProject(tmp_path, REPO / "examples" / "classic-trial")
    example.use_emulator(emulator.base_url, SA_SECRET)
    output = example.run("preview")
    assert output.count(f"+  {TYPE_TOKEN}") == 2
    assert admin.requests() == []


def test_the_readme_demo_commands(tmp_path):
    # The checkout's own demo stack config (a user's, with its encryption salt) is none of its business.
    own_config = REPO / "Pulumi.demo.yaml"
    before = own_config.read_bytes() if own_config.exists() else None
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MIXPANEL_", "PULUMI_HOME"))},
        "MIXPANEL_DEMO_STATE_DIR": str(tmp_path / "demo"),
    }
    demo = subprocess.run(
        [str(REPO / "scripts" / "demo.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stdout
    assert "5 created" in demo.stdout and '"bigquery_trial_pipelines"' in demo.stdout
    assert (tmp_path / "demo" / "project" / "Pulumi.demo.yaml").exists()  # with the rest of the demo
    teardown = subprocess.run(
        [str(REPO / "scripts" / "demo.sh"), "destroy"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    assert teardown.returncode == 0, teardown.stdout
    assert "5 deleted" in teardown.stdout and not (tmp_path / "demo").exists()
    assert (own_config.read_bytes() if own_config.exists() else None) == before


def _quickstart_copy(tmp_path: Path) -> Path:
    source = tmp_path / "quickstart-source"
    source.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (source / name).write_text((REPO / name).read_text())
    return source
