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


def test_the_used_trial_survives_a_restart_and_only_reset_forgets_it(make_emulator, tmp_path):
    state_file = tmp_path / "state.json"
    first = make_emulator(state_file=str(state_file))
    api = Api(first.base_url)
    for name in api.create({"type": "bigquery", "trial": "true", "bq_share_with_group": "a@x.com"}):
        api.admin("POST", f"pipelines/{name}/cancel")
    first.stop()
    document = json.loads(state_file.read_text())
    assert (document["version"], document["trial_used"], document["pipelines"]) == (3, True, [])

    api = Api(make_emulator(state_file=str(state_file)).base_url)
    refused = api.post("create", {"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})
    assert refused.status_code == 400 and "trial can be used once per project" in refused.json()["error"]
    api.admin("POST", "reset")
    assert json.loads(state_file.read_text())["trial_used"] is False
    assert api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})


# A version 1 state file, as the emulator wrote it before it recorded the used trial.
V1_TRIAL_PIPELINE = {
    "name": "trial-events-daily-snowflake-monoschema",
    "project_id": 42,
    "type": "snowflake",
    "data_source": "events",
    "trial": True,
    "frequency": "daily",
    "schema_type": "monoschema",
    "sync": False,
    "from_date": "2024-06-14",
    "to_date": None,
    "events": [],
    "where": None,
    "data_format": "json",
    "destination": ["snowflake", "share", "acct", "events"],
    "created_at": "2024-06-15T11:00:00+00:00",
    "params": {"type": ["snowflake"], "trial": "true", "snowflake_share_with": "acct", "data_source": "events"},
    "bigquery_dataset_name": None,
    "paused": False,
    "pause_intervals": [],
}
V1_PLAIN_PIPELINE = {
    **V1_TRIAL_PIPELINE,
    "name": "events-daily-snowflake-monoschema",
    "trial": False,
    "from_date": "2024-06-01",
    "params": {"type": ["snowflake"], "from_date": "2024-06-01", "snowflake_share_with": "acct"},
}


@pytest.mark.parametrize("pipeline, trial_was_used", [(V1_TRIAL_PIPELINE, True), (V1_PLAIN_PIPELINE, False)])
def test_a_version_1_state_file_still_loads(make_emulator, tmp_path, pipeline, trial_was_used):
    state_file = tmp_path / "state.json"
    state_file.write_text(
        json.dumps({"version": 1, "clock_offset_seconds": 0, "dataset_sequence": 0, "pipelines": [pipeline]})
    )
    api = Api(make_emulator(state_file=str(state_file)).base_url)
    assert [p["name"] for p in api.admin("GET", "pipelines").json()["pipelines"]] == [pipeline["name"]]
    trial = api.post(
        "create",
        {
            "type": "gcs-raw",
            "trial": "true",
            "gcs_bucket": "b",
            "gcs_region": "us-east1",
            "data_source": "events",
            "frequency": "hourly",
        },
    )
    if trial_was_used:  # the trial pipeline in the file is the trace of the used trial
        assert trial.status_code == 400 and "trial can be used once per project" in trial.json()["error"]
        api.create(fields_for("gcs-raw", frequency="hourly"))
    else:
        assert trial.status_code == 200, trial.text
    document = json.loads(state_file.read_text())  # rewritten at the first change, as version 3
    assert (document["version"], document["trial_used"]) == (3, True)
