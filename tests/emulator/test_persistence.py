"""--state / state_file: pipelines and the simulated clock survive a restart."""

import json

import pytest

from pulumi_mixpanel.emulator import EmulatorServer

from .emulator_support import Api, fields_for


def test_pipelines_survive_a_restart(make_emulator, tmp_path):
    state_file = tmp_path / "state" / "emulator.json"
    first = make_emulator(state_file=str(state_file))
    api = Api(first.base_url)
    names = api.create({"type": "bigquery", "trial": "true", "bq_share_with_group": "a@x.com"})
    (backfill,) = api.create(fields_for("gcs-raw", to_date="2024-06-10"))
    api.post("pause", {"name": backfill})
    api.post("edit", [("name", names[0]), ("events", "A"), ("bq_share_with_group", "b@x.com")])
    api.admin("POST", "clock", json={"advance_seconds": 600})
    before = api.admin("GET", "pipelines").json()
    status_before = api.get("status", {"name": names[0]}).json()
    first.stop()

    document = json.loads(state_file.read_text())
    assert document["clock_offset_seconds"] == 600
    assert [path.name for path in state_file.parent.iterdir()] == ["emulator.json"]  # no temp file left over

    second = make_emulator(state_file=str(state_file))
    api = Api(second.base_url)
    assert api.admin("GET", "pipelines").json() == before
    assert api.get("status", {"name": names[0]}).json() == status_before
    assert api.admin("GET", "clock").json()["offset_seconds"] == 600
    # The limits still see the restored pipelines.
    assert api.post("create", fields_for("gcs-raw", to_date="2024-06-11", gcs_prefix="x/")).status_code == 400
    api.post("cancel", {"name": backfill})
    assert [p["name"] for p in json.loads(state_file.read_text())["pipelines"]] == names


def test_a_missing_state_file_starts_empty(make_emulator, tmp_path):
    server = make_emulator(state_file=str(tmp_path / "new.json"))
    assert Api(server.base_url).admin("GET", "pipelines").json() == {"pipelines": []}
    assert not (tmp_path / "new.json").exists()  # written on the first change only


def test_a_corrupt_state_file_is_a_clear_error(tmp_path):
    state_file = tmp_path / "state.json"
    state_file.write_text('{"version": 1, "pipelines": [{"name": "x"}]}')
    with pytest.raises(ValueError, match="cannot load the state file"):
        EmulatorServer(state_file=str(state_file))
