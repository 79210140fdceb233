"""Through the real CLI: an update that fails part-way, values the user marks secret, adoption
only at a resource's first create, and inputs Mixpanel would get mangled."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.emulator import EmulatorAdmin, create_outside_pulumi
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.homes import assert_state_is_mixpanel
from tests.support.pulumi_cli import PulumiProject

HERE = Path(__file__).resolve().parent
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()


def flat(output: str) -> str:
    return " ".join(output.split())


@pytest.fixture
def relaxed():
    """A project without Mixpanel's limits on how many pipelines it runs."""
    with EmulatorServer(port=0, relax_limits=True) as server:
        yield server, EmulatorAdmin(server.base_url)


# --- an update that fails part-way -----------------------------------------------------------------


def test_a_plugin_update_that_fails_part_way_records_what_landed_and_a_revert_is_a_change(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.config("fromDate", FROM_DATE)
    project.use_emulator(emulator.base_url)
    project.up()
    admin.fault("edit", "status", count=10, status=500)
    project.run("config", "set", "--path", "eventNames[0]", "Purchase")
    project.config("paused", "true")

    output = flat(project.run("up", "--yes", "--skip-preview", ok=False))
    assert (
        "the update of events-daily-gcs-raw stopped part-way: Mixpanel took the pause of events-daily-gcs-raw, "
        "then the edit of events on events-daily-gcs-raw failed"
    ) in output, output
    recorded = project.resources()["events"]
    assert recorded["outputs"]["paused"] is True and recorded["outputs"]["events"] == ["Signup"]
    assert recorded.get("initErrors"), "the engine keeps the failure with the resource"
    pipeline = admin.pipeline("events-daily-gcs-raw")
    assert pipeline["paused"] is True and pipeline["params"]["events"] == ["Signup"]  # the state says just that
    assert_state_is_mixpanel(project.export(), {(emulator.base_url, "1"): admin})
    admin.clear_faults()

    # The program goes back to what it was: that is a change from what Mixpanel has now.
    project.config("eventNames", '["Signup"]')
    project.run("config", "set", "--path", "eventNames[0]", "Signup")
    project.config("paused", "false")
    project.run("preview", "--expect-no-changes", ok=False)
    admin.clear_requests()
    project.up()
    assert [e["op"] for e in admin.requests()] == ["resume"]
    assert admin.pipeline("events-daily-gcs-raw")["paused"] is False
    project.run("preview", "--expect-no-changes")


def test_a_dynamic_update_that_fails_part_way_takes_back_what_landed(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "python_program")
    project.use_emulator(emulator.base_url)
    args = {"gcs_bucket": "acme-raw", "gcs_region": "us-central1", "from_date": FROM_DATE, "events": ["Signup"]}
    project.set_pipelines({"raw": {"class": "GcsRawPipelineArgs", "args": args}})
    project.up()
    state = project.resources()["raw"]["outputs"]
    admin.fault("edit", "status", count=10, status=500)
    changed = {**args, "events": ["Purchase"], "paused": True}
    project.set_pipelines({"raw": {"class": "GcsRawPipelineArgs", "args": changed}})

    output = flat(project.run("up", "--yes", "--skip-preview", ok=False))
    assert "What had landed was taken back, so Mixpanel and the state still agree" in output, output
    pipeline = admin.pipeline("events-daily-gcs-raw")
    assert pipeline["paused"] is False and pipeline["params"]["events"] == ["Signup"]
    assert project.resources()["raw"]["outputs"] == state
    admin.clear_faults()
    project.up()
    pipeline = admin.pipeline("events-daily-gcs-raw")
    assert pipeline["paused"] is True and pipeline["params"]["events"] == ["Purchase"]


# --- secrets the user marks --------------------------------------------------------------------------

MARKED = {
    "account": "ACCOUNT-SECRET-3b9e",
    "clientId": "CLIENT-ID-SECRET-91aa",
    "where": 'properties["plan"] == "SECRET-PLAN-c0de"',
}
MARKED_IN_PROGRAM = ("AZ-SECRET-5f1c", "EVENT-SECRET-77d2")


def assert_no_plaintext(text: str, *secrets: str) -> None:
    for secret in secrets:
        for form in (secret, json.dumps(secret)[1:-1], "SECRET-PLAN" if "SECRET-PLAN" in secret else secret):
            assert form not in text, f"{form!r} shows in plaintext"


def test_what_the_user_marks_secret_stays_secret_in_state_diff_and_refresh(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "yaml_secrets")
    project.config("fromDate", FROM_DATE)
    for key, value in MARKED.items():
        project.config(key, value, secret=True)
    project.use_emulator(emulator.base_url)
    project.up()
    assert admin.pipeline("events-daily-azure-blob-monoschema")["params"]["storage_account"] == MARKED["account"]
    every = (*MARKED.values(), *MARKED_IN_PROGRAM)
    assert_no_plaintext(project.export(), *every)
    outputs = project.resources()["warehouse"]["outputs"]
    for name in ("storageAccount", "clientId", "where", "events", "clientSecret"):
        assert "ciphertext" in json.dumps(outputs[name]), name
    assert outputs["tenantId"] == "tenant-plain"  # what is not marked stays readable

    project.config("where", 'properties["plan"] == "SECRET-PLAN-2-e4f1"', secret=True)
    assert_no_plaintext(project.run("preview", "--diff"), *every, "SECRET-PLAN-2-e4f1")
    assert_no_plaintext(project.up(), *every, "SECRET-PLAN-2-e4f1")
    assert_no_plaintext(project.run("refresh", "--yes"), *every, "SECRET-PLAN-2-e4f1")
    assert_no_plaintext(project.export(), *every, "SECRET-PLAN-2-e4f1")
    project.run("preview", "--expect-no-changes")


# --- adoption belongs to a resource's first create -----------------------------------------------------


def write_program(project: PulumiProject, resources: str) -> None:
    # The project's name stays the one its stack was made for.
    (project.dir / "Pulumi.yaml").write_text(f"name: mixpanel-default-provider\nruntime: yaml\nresources:\n{resources}")


ADOPTED = """  adopted:
    type: mixpanel:index:GcsRawPipeline
    properties:
      gcsBucket: legacy
      gcsRegion: us-central1
      fromDate: "{from_date}"
{extra}      adoptExisting: true
"""
RETAINED = """  retained:
    type: mixpanel:index:S3RawPipeline
    properties:
      s3Bucket: {bucket}
      s3Region: us-east-1
      s3Role: arn:aws:iam::1:role/w
      fromDate: "{from_date}"
      adoptExisting: true
    options:
      retainOnDelete: true
"""


def test_a_replacement_never_takes_over_the_pipeline_in_its_way(tmp_path, relaxed):
    server, admin = relaxed
    legacy = {"gcs_bucket": "legacy", "gcs_region": "us-central1", "from_date": FROM_DATE}
    s3 = {"s3_region": "us-east-1", "s3_role": "arn:aws:iam::1:role/w", "from_date": FROM_DATE}
    create_outside_pulumi(server.base_url, {"type": "gcs-raw", **legacy})
    create_outside_pulumi(server.base_url, {"type": "s3-raw", "s3_bucket": "old-bucket", **s3})
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.use_emulator(server.base_url)
    write_program(
        project,
        ADOPTED.format(from_date=FROM_DATE, extra="") + RETAINED.format(bucket="old-bucket", from_date=FROM_DATE),
    )
    admin.clear_requests()
    project.up()
    assert admin.requests("create") == []  # both adopted at their first create

    # Someone else's pipeline holds the name a new frequency gives.
    (theirs,) = create_outside_pulumi(
        server.base_url,
        {"type": "gcs-raw", "gcs_bucket": "theirs", "gcs_region": "us-east1", "from_date": FROM_DATE,
         "frequency": "hourly", "events": ["Theirs"]},
    )  # fmt: skip
    admin.clear_requests()
    write_program(
        project,
        ADOPTED.format(from_date=FROM_DATE, extra="      frequency: hourly\n")
        + RETAINED.format(bucket="old-bucket", from_date=FROM_DATE),
    )
    output = flat(project.run("up", "--yes", "--skip-preview", ok=False))
    assert f"the project already has a pipeline named {theirs}" in output, output
    assert "a replacement never takes over an existing pipeline" in output
    assert admin.requests("edit") == [] and admin.requests("create") == []
    assert admin.pipeline(theirs)["params"]["events"] == ["Theirs"]
    # Ours went first (Mixpanel refuses two pipelines to one bucket): the state says it was deleted and
    # its replacement is still to be made.
    assert project.resources()["adopted"].get("pendingReplacement") is True
    assert admin.pipeline("events-daily-gcs-raw") is None

    # A retained pipeline is not taken back under the new bucket either.
    write_program(project, RETAINED.format(bucket="new-bucket", from_date=FROM_DATE))
    output = flat(project.run("up", "--yes", "--skip-preview", ok=False))
    assert "the project already has a pipeline named events-daily-s3-raw" in output, output
    assert "a replacement never takes over an existing pipeline" in output
    assert admin.requests("edit") == [] and admin.requests("create") == []
    assert admin.pipeline("events-daily-s3-raw")["params"]["s3_bucket"] == "old-bucket"
    assert project.resources()["retained"].get("pendingReplacement") is True  # left to run, no longer managed


# --- characters and settings Mixpanel would get wrong ----------------------------------------------------


def test_a_control_character_or_a_project_id_in_other_digits_is_named_at_preview(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.config("fromDate", FROM_DATE)
    project.use_emulator(emulator.base_url)
    manifest = (project.dir / "Pulumi.yaml").read_text()
    (project.dir / "Pulumi.yaml").write_text(manifest.replace("gcsBucket: acme-raw", 'gcsBucket: "acme\\nraw"'))
    output = project.run("preview", ok=False)
    assert "property gcsBucket value" in output and "must not contain control characters (found U+000A)" in output
    (project.dir / "Pulumi.yaml").write_text(manifest)
    project.config("mixpanel:projectId", "١٢٣")
    output = project.run("preview", ok=False)
    assert "'١٢٣' is not a project id (a positive whole number, digits 0-9)" in output, output
    assert "Traceback" not in output and admin.requests() == []


def test_the_dynamic_resource_and_mixpanel_adopt_name_a_project_id_in_other_digits(tmp_path, emulator, admin):
    project = PulumiProject(tmp_path, HERE / "python_program")
    project.use_emulator(emulator.base_url)
    project.config("mixpanel:projectId", "²")
    args = {"gcs_bucket": "acme-raw", "gcs_region": "us-central1", "from_date": FROM_DATE}
    project.set_pipelines({"raw": {"class": "GcsRawPipelineArgs", "args": args}})
    output = project.run("preview", ok=False)
    assert "mixpanel:projectId" in output and "'²' is not a project id" in output, output
    assert "Traceback" not in output

    adopt = subprocess.run(
        [str(Path(sys.executable).with_name("mixpanel-adopt")), "--project-id", "١", "--endpoint", emulator.base_url],
        env={"MIXPANEL_SERVICE_ACCOUNT_USERNAME": "emulator", "MIXPANEL_SERVICE_ACCOUNT_SECRET": "emulator-secret"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert adopt.returncode == 1 and adopt.stdout == "" and adopt.stderr.count("\n") == 1, adopt.stderr
    assert "projectId: '١' is not a project id" in adopt.stderr and "Traceback" not in adopt.stderr
    assert admin.requests() == []
