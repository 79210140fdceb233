"""The whole lifecycle through both front ends' provider servers, from one table of cases.

Every test takes `server`, which is the SDK's dynamic provider server or the `mixpanel`
plugin, configured for a fresh emulator; the same case must hold for both.
"""

from __future__ import annotations

import base64
import pickle

import grpc
import pytest

from harness import inputs as valid
from harness.emulator import create_outside_pulumi
from harness.secrets import UNKNOWN
from harness.servers import FRONT_ENDS, emulator_settings, start


@pytest.fixture(params=FRONT_ENDS)
def front_end(request) -> str:
    return request.param


@pytest.fixture
def server(front_end, emulator):
    with start(front_end) as provider_server:
        assert provider_server.configure(emulator_settings(emulator.base_url)) == []
        yield provider_server


@pytest.mark.parametrize("pipeline_type", valid.PIPELINE_TYPES)
def test_each_destination_type_lives_a_whole_life(server, admin, pipeline_type):
    id_, outs = server.created(valid.inputs(pipeline_type))
    (stored,) = admin.pipelines()
    assert id_ == stored["name"] == outs["pipeline_names"][0]
    assert outs["type"] == pipeline_type and outs["status"] == {} and outs["unverified_inputs"] == []
    if server.kind == "plugin":
        secret_fields = {"client_secret", "snowflake_password"} & set(outs)
        assert server.secret_outputs == secret_fields

    admin.advance_clock(2 * 86400)
    read_id, refreshed = server.read(id_, outs)
    assert read_id == id_
    assert sum(refreshed["status"].values()) == sum(admin.status_summary(id_).values()) > 0

    assert server.diff(id_, refreshed, server.checked(valid.inputs(pipeline_type), refreshed)).changes is False
    server.delete(id_, refreshed)
    assert admin.pipelines() == []
    assert [(e["op"], e["status"]) for e in admin.requests("cancel")] == [("cancel", 200)]


def test_a_provider_serialized_differently_is_not_a_change(emulator, admin):
    from pulumi_mixpanel.provider import MixpanelProvider

    with start("dynamic") as server:
        server.configure(emulator_settings(emulator.base_url))
        id_, outs = server.created(valid.inputs("gcs-raw"))
        other = base64.b64encode(pickle.dumps(MixpanelProvider(), protocol=2)).decode()
        assert other != outs["__provider"]
        assert server.diff(id_, outs, {**outs, "__provider": other}).changes is False


def test_check_fills_defaults_and_makes_no_api_call(server, admin):
    checked = server.checked(valid.inputs("aws"))
    assert (
        checked["trial"],
        checked["paused"],
        checked["frequency"],
        checked["api_mode"],
        checked["s3_encryption"],
    ) == (False, False, "daily", "current", "none")
    assert "sync" not in checked  # chosen at create: the two API documents disagree on it
    server.diff("events-daily-aws-monoschema", checked, {**checked, "s3_bucket": "other"})
    assert admin.requests() == []


def test_invalid_inputs_fail_check_with_every_property_and_reason(server, admin):
    news = valid.inputs("aws", s3_region="mars-1", glue_role=None, from_date="2026-02-30", events=["ok", ""])
    _, failures = server.check({}, news)
    by_property = dict(failures)
    assert set(by_property) == {"s3_region", "glue_role", "from_date", "events[1]"}
    assert by_property["s3_region"].startswith("'mars-1' is not one of us-east-1,")
    use_glue = "useGlue" if server.kind == "plugin" else "use_glue"  # each front end names fields its way
    assert by_property["glue_role"] == f"is required when {use_glue} is true"
    assert "Traceback" not in str(failures)
    assert admin.requests() == []


@pytest.mark.parametrize("odd", [{"a": 1}, ["aws"], 5])
def test_a_type_that_is_not_a_string_is_a_check_failure(front_end, emulator, odd):
    if front_end == "plugin":
        pytest.skip("the plugin's type is its resource token, never a value")
    with start(front_end) as server:
        server.configure(emulator_settings(emulator.base_url))
        _, failures = server.check({}, {**valid.inputs("gcs-raw"), "type": odd})
    assert [p for p, _ in failures] == ["type"]


def test_unknown_values_during_preview_are_not_failures(server, admin):
    news = valid.inputs("aws", s3_bucket=UNKNOWN, s3_role=UNKNOWN, events=[UNKNOWN])
    checked, failures = server.check({}, news)
    assert failures == []
    old = {**checked, "s3_bucket": "acme-export", "s3_role": "r", "events": ["Signup"]}
    diff = server.diff("events-daily-aws-monoschema", old, checked)
    assert diff.changes and "s3_bucket" in diff.replaces
    assert admin.requests() == []


def test_an_editable_change_is_an_update_through_edit(server, admin):
    id_, outs = server.created(valid.inputs("aws"))
    news = server.checked(
        {
            **valid.inputs("aws"),
            "events": ["Signup"],
            "where": 'properties["plan"] == "pro"',
            "glue_role": "arn:aws:iam::1:role/g2",
        },
        outs,
    )
    diff = server.diff(id_, outs, news)
    assert diff.changes and diff.replaces == []
    updated = server.update(id_, outs, news)
    assert updated["pipeline_names"] == [id_]
    params = admin.pipeline(id_)["params"]
    assert params["events"] == ["Signup"] and params["glue_role"] == "arn:aws:iam::1:role/g2"
    assert [e["op"] for e in admin.requests()] == ["jobs", "create", "edit"]


def test_a_replace_only_change_is_a_replacement_deleted_first(server):
    id_, outs = server.created(valid.inputs("aws"))
    news = server.checked(valid.inputs("aws", s3_prefix="mixpanel/"), outs)
    diff = server.diff(id_, outs, news)
    assert diff.replaces == ["s3_prefix"] and diff.delete_before_replace


def test_an_empty_event_list_is_all_events_so_state_and_mixpanel_agree(server, admin):
    id_, outs = server.created(valid.inputs("gcs-raw", events=[]))
    assert "events" not in outs and "events" not in admin.pipeline(id_)["params"]
    news = server.checked(valid.inputs("gcs-raw"), outs)
    assert server.diff(id_, outs, news).changes is False  # [] and no events: both all events


def test_changing_only_provider_settings_replaces_nothing(server, admin):
    id_, outs = server.created(valid.inputs("gcs-schema"))
    for change in ({"api_mode": "classic"}, {"adopt_existing": True}):
        news = server.checked(valid.inputs("gcs-schema", **change), outs)
        diff = server.diff(id_, outs, news)
        assert diff.changes is False and diff.replaces == [], change
    news = server.checked(valid.inputs("gcs-schema", paused=True), outs)
    assert server.diff(id_, outs, news).replaces == []
    assert [e["op"] for e in admin.requests()] == ["jobs", "create"]


def test_paused_pauses_and_resumes(server, admin):
    id_, outs = server.created(valid.inputs("gcs-raw"))
    news = server.checked(valid.inputs("gcs-raw", paused=True), outs)
    assert server.diff(id_, outs, news).replaces == []
    paused = server.update(id_, outs, news)
    assert admin.pipeline(id_)["paused"] is True
    resumed = server.checked(valid.inputs("gcs-raw", paused=False), paused)
    server.update(id_, paused, resumed)
    assert admin.pipeline(id_)["paused"] is False


def test_created_paused(server, admin):
    id_, _ = server.created(valid.inputs("gcs-raw", paused=True))
    assert admin.pipeline(id_)["paused"] is True


def test_drift_a_pipeline_cancelled_outside_pulumi_is_gone(server, admin):
    id_, outs = server.created(valid.inputs("s3-raw"))
    admin.cancel_behind_the_back(id_)
    assert server.read(id_, outs)[0] == ""


def test_delete_of_a_gone_pipeline_tries_the_cancel_and_succeeds(server, admin):
    id_, outs = server.created(valid.inputs("gcs-raw"))
    admin.cancel_behind_the_back(id_)
    admin.clear_requests()
    server.delete(id_, outs)
    assert [(e["op"], e["status"]) for e in admin.requests()] == [("cancel", 404)]


def test_a_trial_pipeline_that_mixpanel_will_not_cancel_is_a_clear_error(server, admin):
    id_, outs = server.created(valid.trial())
    assert id_ == "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema"
    assert outs["bigquery_dataset_name"].startswith("https://bigquery.cloud.google.com/dataset/")
    with pytest.raises(grpc.RpcError) as raised:
        server.delete(id_, outs)
    message = raised.value.details()
    assert "Trial pipelines cannot be deleted" in message and "retain_on_delete" in message
    assert len(admin.pipelines()) == 2


def test_a_change_that_would_replace_a_trial_fails_at_check(server):
    olds = server.checked(valid.trial())
    _, failures = server.check(olds, valid.trial(schema_type="multischema"))
    assert [p for p, _ in failures] == ["schema_type"]
    assert "a trial pipeline cannot be replaced" in failures[0][1]


def test_a_trial_that_lost_its_people_pipeline_explains_it_in_the_diff(server, admin):
    id_, outs = server.created(valid.trial())
    admin.cancel_behind_the_back("trial-people-daily-bigquery-monoschema")
    refreshed_id, refreshed = server.read(id_, outs)
    assert refreshed_id == "trial-events-daily-bigquery-monoschema"
    with pytest.raises(grpc.RpcError) as raised:
        server.diff(refreshed_id, refreshed, server.checked(valid.trial(), outs))
    assert "cannot be restored" in raised.value.details() and "data_source='events'" in raised.value.details()
    narrowed = server.checked(valid.trial(data_source="events"), outs)
    diff = server.diff(refreshed_id, refreshed, narrowed)
    assert diff.changes and diff.replaces == []
    assert server.update(refreshed_id, refreshed, narrowed)["pipeline_names"] == [refreshed_id]


def test_adopt_existing_takes_over_without_creating(server, emulator, admin):
    (id_,) = create_outside_pulumi(emulator.base_url, valid.inputs("gcs-schema", events=["Old"]))
    admin.clear_requests()
    adopted_id, outs = server.created(valid.inputs("gcs-schema", adopt_existing=True, events=["New"]))
    assert adopted_id == id_ and outs["pipeline_names"] == [id_]
    assert admin.requests("create") == [] and len(admin.pipelines()) == 1
    assert admin.pipeline(id_)["params"]["events"] == ["New"]
    assert outs["unverified_inputs"] == ["data_format", "from_date", "gcs_bucket", "gcs_region", "paused", "where"]


def test_a_create_whose_name_exists_is_refused_before_anything_is_sent(server, admin):
    server.created(valid.inputs("gcs-raw", gcs_bucket="first"))
    admin.clear_requests()
    with pytest.raises(grpc.RpcError) as raised:
        server.created(valid.inputs("gcs-raw", gcs_bucket="second"))
    assert "already has a pipeline named events-daily-gcs-raw" in raised.value.details()
    assert [e["op"] for e in admin.requests()] == ["jobs"]


@pytest.mark.parametrize(
    "setting, value",
    [
        ("region", "mars"),
        ("projectId", "one"),
        ("caBundle", "/no/such/ca.pem"),
        ("endpoint", "ftp://127.0.0.1/"),
        ("requestTimeout", "nan"),
        ("requestTimeout", "inf"),
        ("requestTimeout", "1e300"),
    ],
)
def test_a_setting_that_cannot_work_is_named_before_any_api_call(front_end, emulator, admin, setting, value):
    settings = {**emulator_settings(emulator.base_url), setting: value}
    with start(front_end) as server:
        failures = server.configure(settings)
        if front_end == "dynamic":  # the dynamic server configures lazily: the first check says it
            _, failures = server.check({}, valid.inputs("gcs-raw"))
        names = [p for p, _ in failures]
        assert names == [("mixpanel:" if front_end == "dynamic" else "") + setting]
        assert "Traceback" not in str(failures)
    assert admin.requests() == []


def test_an_endpoint_given_as_the_openapi_server_url_works(front_end, emulator, admin):
    with start(front_end) as server:
        assert server.configure(emulator_settings(emulator.base_url + "/api/2.0")) == []
        id_, _ = server.created(valid.inputs("gcs-raw"))
    assert admin.requests("create")[0]["path"] == "/api/2.0/nessie/pipeline/create"
    assert id_ == "events-daily-gcs-raw"


def test_credentials_from_the_environment(front_end, emulator, admin):
    env = {"MIXPANEL_ENDPOINT": emulator.base_url, "MIXPANEL_API_SECRET": "emulator-api-secret"}
    with start(front_end, env=env) as server:
        assert server.configure({}) == []
        server.created(valid.inputs("gcs-raw"))
    assert admin.requests("create")[0]["auth"] == "api_secret"


def test_config_wins_over_the_environment(front_end, emulator, admin):
    env = {"MIXPANEL_ENDPOINT": "http://127.0.0.1:1", "MIXPANEL_API_SECRET": "wrong"}
    with start(front_end, env=env) as server:
        server.configure(emulator_settings(emulator.base_url))
        server.created(valid.inputs("gcs-raw"))
    assert admin.requests("create")[0]["auth"] == "service_account:emulator"


def test_missing_credentials_are_one_clear_error_and_preview_needs_none(front_end, emulator):
    with start(front_end) as server:
        server.configure({"endpoint": emulator.base_url})
        checked = server.checked(valid.inputs("gcs-raw"))  # preview needs no credentials
        with pytest.raises(grpc.RpcError) as raised:
            server.create(checked)
    message = raised.value.details()
    assert "mixpanel:serviceAccountUsername" in message and "MIXPANEL_API_SECRET" in message
    if front_end == "plugin":
        assert "Traceback" not in message


def test_import_reads_what_mixpanel_tells_and_nothing_else(emulator, admin):
    (id_,) = create_outside_pulumi(emulator.base_url, valid.inputs("gcs-raw", frequency="hourly"))
    admin.clear_requests()
    with start("plugin") as server:
        server.configure(emulator_settings(emulator.base_url))
        imported_id, outputs, inputs = server.import_(id_, "gcs-raw")
    assert imported_id == id_
    assert inputs == {"type": "gcs-raw", "adopt_existing": True, "frequency": "hourly"}
    assert outputs["pipeline_names"] == [id_] and "gcs_bucket" in outputs["unverified_inputs"]
    assert {e["op"] for e in admin.requests()} == {"jobs", "status"}


def test_the_serialized_provider_is_small_and_holds_no_secret():
    from harness.servers import serialized_provider

    provider = serialized_provider()
    assert len(provider) < 1024
    assert b"secret" not in base64.b64decode(provider).lower()
