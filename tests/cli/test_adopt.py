"""`mixpanel-adopt`: a project's existing pipelines into a stack in one command, without a
create or a cancel, through both front ends."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness import inputs as valid
from harness.emulator import create_outside_pulumi
from harness.servers import camel
from pulumi_mixpanel.core.client import MixpanelClient
from pulumi_mixpanel.core.credentials import ProjectSecret
from tests.support.pulumi_cli import PulumiProject

TODAY = dt.datetime.now(dt.timezone.utc).date()
START = (TODAY - dt.timedelta(days=5)).isoformat()
# Made with curl before Pulumi: four types, a trial among them, within Mixpanel's project limits.
EXISTING = {
    "events-hourly-gcs-raw": {
        "type": "gcs-raw",
        "gcs_bucket": "acme-raw",
        "gcs_region": "us-east1",
        "from_date": START,
        "frequency": "hourly",
        "events": ["Purchase"],
    },
    "events-daily-azure-raw": {
        "type": "azure-raw",
        "storage_account": "acmeraw",
        "container_name": "raw",
        "client_id": "cid",
        "client_secret": valid.CLIENT_SECRET,
        "tenant_id": "tid",
        "from_date": START,
        "to_date": TODAY.isoformat(),
    },
    "people-daily-snowflake-monoschema": {**valid.inputs("snowflake", data_source="people"), "from_date": START},
    "trial-daily-bigquery-monoschema": valid.trial(),
}
ADOPT = Path(sys.executable).with_name("mixpanel-adopt")


PAUSED = "people-daily-snowflake-monoschema"  # paused in Mixpanel, outside Pulumi


@pytest.fixture
def existing(emulator, admin):
    for values in EXISTING.values():
        create_outside_pulumi(emulator.base_url, values)
    client = MixpanelClient(ProjectSecret("emulator-api-secret"), endpoint=emulator.base_url)
    client.pause(PAUSED)
    client.close()
    admin.clear_requests()
    return emulator


def adopt(emulator, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {
        "PATH": str(ADOPT.parent),
        "MIXPANEL_ENDPOINT": emulator.base_url,
        "MIXPANEL_API_SECRET": "emulator-api-secret",
        **(env or {}),
    }
    return subprocess.run([str(ADOPT), *args], env=environment, capture_output=True, text=True, timeout=60)


def test_the_import_file_names_one_resource_per_create(existing, admin):
    result = adopt(existing, "--format", "pulumi-import")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document == {
        "resources": [
            {
                "type": "mixpanel:index:AzureRawPipeline",
                "name": "events-daily-azure-raw",
                "id": "events-daily-azure-raw",
            },
            {"type": "mixpanel:index:GcsRawPipeline", "name": "events-hourly-gcs-raw", "id": "events-hourly-gcs-raw"},
            {
                "type": "mixpanel:index:SnowflakePipeline",
                "name": "people-daily-snowflake-monoschema",
                "id": "people-daily-snowflake-monoschema",
            },
            {
                "type": "mixpanel:index:BigQueryPipeline",
                "name": "trial-daily-bigquery-monoschema",
                "id": "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema",
            },
        ]
    }
    with_provider = json.loads(
        adopt(existing, "--provider-urn", "urn:pulumi:s::p::pulumi:providers:mixpanel::eu").stdout
    )
    assert with_provider["nameTable"] == {"mixpanel": "urn:pulumi:s::p::pulumi:providers:mixpanel::eu"}
    assert {r["provider"] for r in with_provider["resources"]} == {"mixpanel"}
    assert {e["op"] for e in admin.requests()} <= {"jobs", "status"}


@pytest.mark.parametrize("output_format", ["python", "yaml", "typescript", "pulumi-import"])
def test_no_credential_ever_reaches_the_output(existing, output_format):
    result = adopt(existing, "--format", output_format)
    assert result.returncode == 0, result.stderr
    for secret in ("emulator-api-secret", valid.CLIENT_SECRET, valid.SNOWFLAKE_PASSWORD):
        assert secret not in result.stdout and secret not in result.stderr
    if output_format != "pulumi-import":
        assert "TODO" in result.stdout
    if output_format == "python":
        compile(result.stdout, "adopted.py", "exec")
        assert 'config.require_secret("eventsDailyAzureRawClientSecret")' in result.stdout
    if output_format == "typescript":
        assert 'config.requireSecret("peopleDailySnowflakeMonoschemaSnowflakePassword")' in result.stdout
    if output_format == "yaml":
        assert "    secret: true" in result.stdout and "${eventsDailyAzureRawClientSecret}" in result.stdout


def test_an_empty_project_is_an_empty_valid_output_and_one_note(emulator):
    for output_format, parse in (("pulumi-import", json.loads), ("yaml", lambda text: text)):
        result = adopt(emulator, "--format", output_format)
        assert result.returncode == 0
        assert result.stderr == "mixpanel-adopt: the project has no pipelines to adopt\n"
        if output_format == "pulumi-import":
            assert parse(result.stdout) == {"resources": []}
    python = adopt(emulator, "--format", "python").stdout
    compile(python, "adopted.py", "exec")


def test_an_api_error_is_one_line_and_a_non_zero_exit(emulator):
    refused = adopt(emulator, env={"MIXPANEL_API_SECRET": "wrong/Secret+= &@%"})
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "HTTP 401" in refused.stderr and "wrong" not in refused.stderr
    unreachable = adopt(emulator, "--endpoint", "http://127.0.0.1:9")
    assert unreachable.returncode == 1 and unreachable.stderr.startswith("mixpanel-adopt: Mixpanel jobs failed")
    bad = adopt(emulator, "--region", "mars", "--endpoint", "")
    assert bad.returncode == 1 and "region" in bad.stderr and bad.stderr.count("\n") == 1


def test_pulumi_import_file_then_the_filled_in_program_previews_with_no_changes(tmp_path, existing, admin):
    document = adopt(existing, "--format", "pulumi-import").stdout
    (tmp_path / "import.json").write_text(document)
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: adopted\nruntime: yaml\nresources: {}\n")
    project = PulumiProject(tmp_path / "work", program)
    project.use_emulator(existing.base_url)
    output = project.run(
        "import",
        "--file",
        str(tmp_path / "import.json"),
        "--yes",
        "--protect=false",
        "--out",
        str(tmp_path / "generated.yaml"),
    )
    assert "= 4 imported" in output
    assert {e["op"] for e in admin.requests()} <= {"jobs", "status"}  # no create, no cancel
    held = project.resources()
    assert {held[name]["id"] for name in EXISTING} == {
        "events-hourly-gcs-raw",
        "events-daily-azure-raw",
        "people-daily-snowflake-monoschema",
        "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema",
    }

    # The user fills in what Mixpanel cannot return; here, the values the pipelines were made with.
    project.config("clientSecret", valid.CLIENT_SECRET, secret=True)
    project.config("snowflakePassword", valid.SNOWFLAKE_PASSWORD, secret=True)
    (project.dir / "Pulumi.yaml").write_text(filled_in_yaml())
    project.run("preview", "--expect-no-changes")
    project.up()
    project.run("preview", "--expect-no-changes")
    assert admin.requests("create") == [] and admin.requests("cancel") == []
    assert admin.pipeline(PAUSED)["paused"] is True and admin.requests("resume") == []


def filled_in_yaml() -> str:
    from pulumi_mixpanel.plugin.schema import TOKEN_BY_TYPE

    resources = {}
    for name, values in EXISTING.items():
        properties = {camel(k): v for k, v in values.items() if k != "type"}
        if "clientSecret" in properties:
            properties["clientSecret"] = "${clientSecret}"
        if "snowflakePassword" in properties:
            properties["snowflakePassword"] = "${snowflakePassword}"
        resources[name] = {"type": TOKEN_BY_TYPE[values["type"]], "properties": properties}
    config = {
        "clientSecret": {"type": "string", "secret": True},
        "snowflakePassword": {"type": "string", "secret": True},
    }
    return json.dumps({"name": "adopted", "runtime": "yaml", "config": config, "resources": resources}, indent=2)


def test_the_python_output_with_its_todos_filled_in_adopts_everything_under_pulumi_up(tmp_path, existing, admin):
    source = adopt(existing, "--format", "python").stdout
    compile(source, "adopted.py", "exec")
    # What Mixpanel cannot tell is a TODO: the end of a bounded export; and nothing says paused.
    assert 'to_date=todo("to_date of events-daily-azure-raw"),  # TODO: the last day of this bounded' in source
    assert "paused=" not in source
    for name, values in EXISTING.items():  # the user's part: each todo(...) replaced by its value
        for field, value in values.items():
            source = source.replace(f'todo("{field} of {name}")', repr(value))
    # The trial's dataset is Mixpanel's: the comment says to write bq_share_with_group instead.
    source = re.sub(r'        gcp_project=todo\("gcp_project of trial-daily-bigquery-monoschema"\).*\n', "", source)
    source = re.sub(
        r"        bq_dataset_name=todo\(.*\n",
        "        bq_share_with_group=['bq-access-alias@somecompany.com'],\n",
        source,
    )
    assert 'todo("' not in source
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(source)
    (program / "Pulumi.yaml").write_text("name: adopted\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    project = PulumiProject(tmp_path / "work", program)
    project.use_emulator(existing.base_url)
    project.config("adopted:eventsDailyAzureRawClientSecret", valid.CLIENT_SECRET, secret=True)
    project.config("adopted:peopleDailySnowflakeMonoschemaSnowflakePassword", valid.SNOWFLAKE_PASSWORD, secret=True)
    output = project.up()
    assert "+ 5 created" in output  # the stack and four adopted resources
    assert admin.requests("create") == [] and admin.requests("cancel") == []
    assert len(admin.pipelines()) == 5
    # Adoption changed nothing the program does not state: the paused pipeline is still paused.
    assert admin.pipeline(PAUSED)["paused"] is True and admin.requests("resume") == []
    project.run("preview", "--expect-no-changes")
