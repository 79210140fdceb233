"""The `mixpanel` provider plugin with the real CLI and a YAML program: two explicit providers
(two emulated Mixpanel projects), the whole lifecycle, `pulumi import`, bad inputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from harness.emulator import EmulatorAdmin, create_outside_pulumi
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.pulumi_cli import PulumiProject

PROGRAM = Path(__file__).resolve().parent / "yaml_program"
US_SECRET = "US-SA/Secret+1= &@%"
EU_CLIENT_SECRET = "EU-AZ/Secret+2= &@%"
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()


@pytest.fixture
def projects():
    """Two Mixpanel projects: US with a service account, EU with its API secret."""
    with (
        EmulatorServer(port=0, service_account=("emulator", US_SECRET), project_id=1) as us,
        EmulatorServer(port=0, project_id=2) as eu,
    ):
        yield (us, EmulatorAdmin(us.base_url)), (eu, EmulatorAdmin(eu.base_url))


@pytest.fixture
def project(tmp_path, projects):
    (us, _), (eu, _) = projects
    project = PulumiProject(tmp_path, PROGRAM)
    project.config("usEndpoint", us.base_url)
    project.config("euEndpoint", eu.base_url)
    project.config("fromDate", FROM_DATE)
    return project


def test_two_projects_from_preview_to_destroy(project, projects):
    (_, us), (_, eu) = projects
    preview = project.run("preview")
    assert "+  mixpanel:index:GcsRawPipeline usEvents create" in preview
    assert "+  mixpanel:index:AzureBlobPipeline euWarehouse create" in preview
    assert us.requests() == [] and eu.requests() == []  # preview makes no API call

    project.up()
    assert project.outputs() == {
        "usPipelines": ["events-daily-gcs-raw"],
        "euPipelines": ["events-daily-azure-blob-monoschema"],
    }
    assert [p["name"] for p in us.pipelines()] == ["events-daily-gcs-raw"]
    assert [p["name"] for p in eu.pipelines()] == ["events-daily-azure-blob-monoschema"]
    assert us.requests("create")[0]["auth"] == "service_account:emulator"
    assert eu.requests("create")[0]["auth"] == "api_secret"
    assert eu.pipeline("events-daily-azure-blob-monoschema")["params"]["client_secret"] == EU_CLIENT_SECRET
    project.run("preview", "--expect-no-changes")

    state = project.export()
    for secret in (US_SECRET, EU_CLIENT_SECRET):
        assert secret not in state and json.dumps(secret)[1:-1] not in state
    resources = project.resources()
    assert "ciphertext" in json.dumps(resources["euWarehouse"]["outputs"]["clientSecret"])

    # An in-place edit, through Mixpanel's edit endpoint.
    us.clear_requests()
    project.run("config", "set", "--path", "usEventNames[0]", "Signup")
    output = project.up()
    assert "~ 1 updated" in output
    assert [e["op"] for e in us.requests()] == ["edit"]
    assert us.pipeline("events-daily-gcs-raw")["params"]["events"] == ["Signup"]

    # Drift: a pipeline cancelled outside Pulumi leaves the state at refresh; up makes it again.
    us.cancel_behind_the_back("events-daily-gcs-raw")
    assert "- 1 deleted" in project.run("refresh", "--yes")
    assert "+ 1 created" in project.up()
    assert [p["name"] for p in us.pipelines()] == ["events-daily-gcs-raw"]

    output = project.run("destroy", "--yes")
    assert us.pipelines() == [] and eu.pipelines() == []
    assert len(us.requests("cancel")) == 1 and len(eu.requests("cancel")) == 1


def test_import_adopts_an_existing_pipeline_and_the_filled_in_code_has_no_changes(project, projects):
    (us_server, us), _ = projects
    project.up()
    (name,) = create_outside_pulumi(
        us_server.base_url,
        {
            "type": "gcs-raw",
            "gcs_bucket": "legacy",
            "gcs_region": "us-east1",
            "from_date": FROM_DATE,
            "frequency": "hourly",
            "events": ["Purchase"],
        },
        credentials=("emulator", US_SECRET, "1"),
    )
    us.clear_requests()
    provider_urn = project.resources()["us"]["urn"]
    output = project.run(
        "import",
        "mixpanel:index:GcsRawPipeline",
        "legacy",
        name,
        "--provider",
        f"us={provider_urn}",
        "--yes",
        "--protect=false",
    )
    assert "= 1 imported" in output
    # The generated code: what the names and the jobs listing tell, and an empty value for each
    # required input the import could not read.
    code = output[output.index("resources:") :]
    assert "type: mixpanel:GcsRawPipeline" in code and "frequency: hourly" in code and "adoptExisting: true" in code
    assert 'gcsBucket: ""' in code and 'gcsRegion: ""' in code and "provider: ${us}" in code
    assert {e["op"] for e in us.requests()} == {"jobs", "status"}  # no create, no cancel
    imported = project.resources()["legacy"]
    assert imported["id"] == name
    assert set(imported["outputs"]["unverifiedInputs"]) >= {"gcsBucket", "gcsRegion", "fromDate"}

    # The user writes what Mixpanel cannot return (the README says which inputs that is).
    manifest = (
        (project.dir / "Pulumi.yaml")
        .read_text()
        .replace(
            "outputs:\n",
            f"""  legacy:
    type: mixpanel:index:GcsRawPipeline
    properties:
      frequency: hourly
      gcsBucket: legacy
      gcsRegion: us-east1
      fromDate: "{FROM_DATE}"
      events: [Purchase]
    options:
      provider: ${{us}}
outputs:
""",
        )
    )
    (project.dir / "Pulumi.yaml").write_text(manifest)
    project.run("preview", "--expect-no-changes")
    project.up()
    project.run("preview", "--expect-no-changes")
    assert us.requests("create") == []


def test_a_bad_input_fails_preview_naming_the_property_without_a_traceback(project, projects):
    (_, us), _ = projects
    manifest = (project.dir / "Pulumi.yaml").read_text()
    (project.dir / "Pulumi.yaml").write_text(
        manifest.replace(
            "      gcsRegion: us-central1\n",
            '      gcsRegion: us-central1\n      toDate: "2026-13-45"\n      frequency: hourly\n',
        )
    )
    output = project.run("preview", ok=False)
    assert (
        "resource 'usEvents': property toDate value {2026-13-45} has a problem: is not a real calendar date" in output
    )
    assert "resource 'usEvents': property frequency value {hourly} has a problem: applies only to an export" in output
    assert "Traceback" not in output and us.requests() == []


def test_an_enum_value_is_checked_against_the_schema(project, projects):
    (_, us), _ = projects
    manifest = (project.dir / "Pulumi.yaml").read_text()
    (project.dir / "Pulumi.yaml").write_text(
        manifest.replace("gcsRegion: us-central1", "gcsRegion: us-central1\n      frequency: weekly")
    )
    output = project.run("preview", ok=False)
    assert "frequency: Cannot assign type 'string' to type 'mixpanel:index:Frequency'" in output
    assert "Traceback" not in output and us.requests() == []


def test_a_provider_setting_that_cannot_work_is_named(project, projects):
    (_, us), _ = projects
    manifest = (project.dir / "Pulumi.yaml").read_text()
    (project.dir / "Pulumi.yaml").write_text(manifest.replace('projectId: "1"', 'projectId: "one"'))
    output = project.run("preview", ok=False)
    assert "projectId" in output and "'one' is not a project id (a positive whole number, digits 0-9)" in output
    assert "Traceback" not in output and us.requests() == []
