"""A pipeline's home (its Mixpanel project and region or endpoint), through the real CLI against two
emulated projects: the plugin moves pipelines with their provider, the dynamic resource refuses a
new home, and a settings change that moves nothing takes effect in the run it is made.

After every successful `up`, each emulated project runs exactly the pipelines the state says
live there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.homes import assert_state_is_mixpanel
from tests.support.pulumi_cli import PulumiProject

HERE = Path(__file__).resolve().parent
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()
GCS_RAW = {"class": "GcsRawPipelineArgs", "args": {"gcs_bucket": "acme-raw", "gcs_region": "us-central1"}}


@pytest.fixture
def projects():
    """Two Mixpanel projects: 1 and 2, each behind its own endpoint, with the emulator's default credentials."""
    with (
        EmulatorServer(port=0, project_id=1, relax_limits=True) as one,
        EmulatorServer(port=0, project_id=2, relax_limits=True) as two,
    ):
        yield (one.base_url, EmulatorAdmin(one.base_url)), (two.base_url, EmulatorAdmin(two.base_url))


def homes(projects) -> dict:
    (one_url, one), (two_url, two) = projects
    return {(one_url, "1"): one, (two_url, "2"): two}


def set_service_account(project: PulumiProject, endpoint: str, project_id: str) -> None:
    project.config("mixpanel:endpoint", endpoint)
    project.config("mixpanel:serviceAccountUsername", "emulator")
    project.config("mixpanel:serviceAccountSecret", "emulator-secret", secret=True)
    project.config("mixpanel:projectId", project_id)


def test_the_default_providers_pipelines_move_with_its_project_and_a_credential_change_moves_nothing(
    tmp_path, projects
):
    (one_url, one), (two_url, two) = projects
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.config("fromDate", FROM_DATE)
    set_service_account(project, one_url, "1")
    project.up()
    assert project.outputs()["home"] == {"endpoint": one_url, "projectId": "1"}
    assert_state_is_mixpanel(project.export(), homes(projects))

    # Credentials only: the project's API secret instead of the service account, and a timeout.
    for key in ("serviceAccountUsername", "serviceAccountSecret", "projectId"):
        project.run("config", "rm", f"mixpanel:{key}")
    project.config("mixpanel:apiSecret", "emulator-api-secret", secret=True)
    project.config("mixpanel:requestTimeout", "30")
    assert "replace" not in project.run("preview", "--diff")
    one.clear_requests()
    project.run("config", "set", "--path", "eventNames[0]", "Purchase")
    output = project.up()
    assert "replace" not in output and "1 updated" in output
    # In effect in this very run: the edit went with the API secret.
    assert [(e["op"], e["auth"]) for e in one.requests()] == [("edit", "api_secret")]
    assert one.pipeline("events-daily-gcs-raw")["params"]["events"] == ["Purchase"]
    assert project.outputs()["home"] == {"endpoint": one_url, "projectId": "1"}  # still where it was

    # A new home: shown as a replacement naming the settings, made in the new project, then
    # cancelled in the old one through the old settings.
    project.run("config", "rm", "mixpanel:apiSecret")
    set_service_account(project, two_url, "2")
    one.clear_requests()
    preview = " ".join(project.run("preview").split())
    assert "+- mixpanel:index:GcsRawPipeline events replace [diff: ~provider]" in preview, preview
    assert (
        "warning: endpoint, projectId changed: this provider's pipelines move from Mixpanel the project of the API "
        f"secret at {one_url} to project 2 at {two_url} (each is created in the new project, then cancelled in the "
        "old one)"
    ) in preview
    assert one.requests() == [] and two.requests() == []  # a preview makes no API call
    output = project.up()
    assert "1 replaced" in output, output
    assert [(e["op"], e["auth"]) for e in one.requests()] == [("cancel", "api_secret")]
    assert [e["op"] for e in two.requests()] == ["jobs", "create"]
    assert project.outputs()["home"] == {"endpoint": two_url, "projectId": "2"}
    assert_state_is_mixpanel(project.export(), homes(projects))
    project.run("preview", "--expect-no-changes")


def test_a_pipeline_moved_to_another_explicit_provider_moves_to_its_project(tmp_path, projects):
    (one_url, one), (two_url, two) = projects
    project = PulumiProject(tmp_path, HERE / "yaml_program")
    manifest = (project.dir / "Pulumi.yaml").read_text()
    # The program's two providers, with the emulators' default credentials.
    manifest = manifest.replace("fn::secret: US-SA/Secret+1= &@%", "fn::secret: emulator-secret")
    manifest = manifest.replace('projectId: "1"', 'projectId: "1"').replace(
        "      apiSecret:\n        fn::secret: emulator-api-secret\n",
        "      serviceAccountUsername: emulator\n      serviceAccountSecret:\n"
        '        fn::secret: emulator-secret\n      projectId: "2"\n',
    )
    (project.dir / "Pulumi.yaml").write_text(manifest)
    project.config("usEndpoint", one_url)
    project.config("euEndpoint", two_url)
    project.config("fromDate", FROM_DATE)
    project.up()
    assert_state_is_mixpanel(project.export(), homes(projects))
    assert [p["name"] for p in one.pipelines()] == ["events-daily-gcs-raw"]

    moved = manifest.replace(
        "      events: ${usEventNames}\n    options:\n      provider: ${us}",
        "      events: ${usEventNames}\n    options:\n      provider: ${eu}",
    )
    assert moved != manifest
    (project.dir / "Pulumi.yaml").write_text(moved)
    one.clear_requests()
    two.clear_requests()
    preview = project.run("preview")
    assert "+- mixpanel:index:GcsRawPipeline usEvents replace [diff: ~provider]" in preview, preview
    output = project.up()
    assert "1 replaced" in output
    assert [e["op"] for e in one.requests()] == ["cancel"]
    assert [e["op"] for e in two.requests()] == ["jobs", "create"]
    assert_state_is_mixpanel(project.export(), homes(projects))
    project.run("preview", "--expect-no-changes")
    project.run("destroy", "--yes")
    assert one.pipelines() == [] and two.pipelines() == []


def test_the_dynamic_resource_refuses_a_new_home_and_never_reads_its_pipelines_as_gone(tmp_path, projects):
    (one_url, one), (two_url, two) = projects
    project = PulumiProject(tmp_path, HERE / "python_program")
    set_service_account(project, one_url, "1")
    project.set_pipelines({"raw": {**GCS_RAW, "args": {**GCS_RAW["args"], "from_date": FROM_DATE}}})
    project.up()
    state = project.export()
    assert_state_is_mixpanel(state, homes(projects))
    (raw,) = [r for r in json.loads(state)["deployment"]["resources"] if r["urn"].endswith("::raw")]
    assert raw["outputs"]["home"] == {"endpoint": one_url, "projectId": "1"}

    set_service_account(project, two_url, "2")
    one.clear_requests()
    for command in (["preview"], ["up", "--yes"]):
        output = project.run(*command, ok=False)
        assert (
            f"events-daily-gcs-raw lives in Mixpanel project 1 at {one_url}, but the provider now reaches "
            f"project 2 at {two_url} (projectId, endpoint changed). Nothing was changed." in " ".join(output.split())
        ), output
        assert "pulumi state delete" in output
    assert one.requests() == [] and two.requests() == []
    assert_state_is_mixpanel(project.export(), homes(projects))

    # Refresh and destroy reach the pipeline through the settings the state recorded with it.
    assert "2 unchanged" in project.run("refresh", "--yes")
    assert {e["op"] for e in one.requests()} == {"status"} and two.requests() == []
    assert_state_is_mixpanel(project.export(), homes(projects))
    project.run("destroy", "--yes")
    assert [e["op"] for e in one.requests()][-1] == "cancel"
    assert one.pipelines() == [] and two.pipelines() == [] and two.requests() == []


def test_a_state_from_before_homes_learns_its_home_at_refresh_and_is_no_change(tmp_path, projects):
    (one_url, _), _ = projects
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider")
    project.config("fromDate", FROM_DATE)
    set_service_account(project, one_url, "1")
    project.up()
    state = json.loads(project.export())
    for resource in state["deployment"]["resources"]:  # as pulumi-mixpanel 0.2.0 wrote it
        (resource.get("outputs") or {}).pop("home", None)
    (tmp_path / "state-0.2.0.json").write_text(json.dumps(state))
    project.run("stack", "import", "--file", str(tmp_path / "state-0.2.0.json"))

    project.run("preview", "--expect-no-changes")
    project.run("refresh", "--yes")
    assert_state_is_mixpanel(project.export(), homes(projects))
    project.run("preview", "--expect-no-changes")
