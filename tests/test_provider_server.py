"""The whole lifecycle through the Pulumi SDK's own provider server, against the emulator."""

from __future__ import annotations

import grpc
import pytest

import pulumi_mixpanel as pm
from support.lifecycle import RECENT, UNKNOWN_MARKER, emulator_config, program_inputs
from support.provider_server import ProviderServer

ARGS = {
    "bigquery": lambda: pm.BigQueryPipelineArgs(gcp_project="acme", bq_dataset_name="mixpanel", from_date=RECENT),
    "snowflake": lambda: pm.SnowflakePipelineArgs(
        snowflake_account_name="acme", snowflake_warehouse="wh", snowflake_storage_integration="si",
        snowflake_user="mixpanel", snowflake_password="SNOWFLAKE-PASSWORD-1", snowflake_role="loader",
        snowflake_database="analytics", snowflake_schema="mixpanel", from_date=RECENT),
    "aws": lambda: pm.AwsPipelineArgs(s3_bucket="acme-export", s3_region="us-east-1", s3_role="arn:aws:iam::1:role/w",
                                      from_date=RECENT, use_glue=True, glue_database="db", glue_role="arn:aws:iam::1:role/g"),
    "azure-blob": lambda: pm.AzureBlobPipelineArgs(storage_account="acme", container_name="mp", client_id="cid",
                                                   client_secret="AZURE-SECRET-1", tenant_id="tid", from_date=RECENT,
                                                   data_format="parquet", schema_type="multischema"),
    "gcs-schema": lambda: pm.GcsSchemaPipelineArgs(gcs_bucket="acme-export", gcs_region="us-central1", from_date=RECENT),
    "s3-raw": lambda: pm.S3RawPipelineArgs(s3_bucket="acme-raw", s3_region="us-west-2", s3_role="arn:aws:iam::1:role/w",
                                           from_date=RECENT),
    "gcs-raw": lambda: pm.GcsRawPipelineArgs(gcs_bucket="acme-raw", gcs_region="europe-west1", from_date=RECENT),
    "azure-raw": lambda: pm.AzureRawPipelineArgs(storage_account="acme", container_name="raw", client_id="cid",
                                                 client_secret="AZURE-SECRET-2", tenant_id="tid", from_date=RECENT),
}


@pytest.fixture
def server(emulator):
    with ProviderServer() as provider_server:
        provider_server.configure(emulator_config(emulator.base_url))
        yield provider_server


def other_serialized_provider() -> str:
    import base64
    import pickle

    from pulumi_mixpanel.provider import MixpanelProvider

    return base64.b64encode(pickle.dumps(MixpanelProvider(), protocol=2)).decode()


def create(server, args):
    inputs = program_inputs(args)
    checked, failures = server.check({}, inputs)
    assert failures == []
    return server.create(checked)


@pytest.mark.parametrize("pipeline_type", sorted(ARGS))
def test_each_destination_type_lives_a_whole_life(server, admin, pipeline_type):
    id_, outs = create(server, ARGS[pipeline_type]())
    (stored,) = admin.pipelines()
    assert id_ == stored["name"] == outs["pipeline_names"][0]
    assert outs["type"] == pipeline_type and outs["status"] == {}
    assert outs["__provider"]

    admin.advance_clock(2 * 86400)
    read_id, refreshed = server.read(id_, outs)
    assert read_id == id_
    assert isinstance(refreshed["status"], dict) and sum(refreshed["status"].values()) > 0

    # A provider serialized differently (as after an SDK upgrade) is not a change.
    assert other_serialized_provider() != refreshed["__provider"]
    diff = server.diff(id_, refreshed, {**refreshed, "__provider": other_serialized_provider()})
    assert diff.changes == diff.DIFF_NONE

    server.delete(id_, refreshed)
    assert admin.pipelines() == []


def test_check_fills_defaults_and_makes_no_api_call(server, admin):
    inputs = program_inputs(ARGS["aws"]())
    checked, failures = server.check({}, inputs)
    assert failures == []
    assert (checked["trial"], checked["paused"], checked["frequency"], checked["sync"], checked["api_mode"]) == (
        False, False, "daily", True, "current")
    server.diff("events-daily-aws-monoschema", checked, {**checked, "s3_bucket": "other"})
    assert admin.requests() == []


def test_invalid_inputs_fail_check_with_the_property_and_reason(server, admin):
    inputs = program_inputs(ARGS["aws"]())
    inputs.update(s3_region="mars-1", use_glue=True, glue_role=None, from_date="2026-02-30")
    inputs.pop("glue_role")
    _, failures = server.check({}, inputs)
    by_property = dict(failures)
    assert set(by_property) == {"s3_region", "glue_role", "from_date"}
    assert "us-east-1" in by_property["s3_region"]
    assert "Traceback" not in str(failures)
    assert admin.requests() == []


def test_unknown_values_during_preview_are_not_failures(server, admin):
    inputs = program_inputs(ARGS["aws"]())
    inputs.update(s3_bucket=UNKNOWN_MARKER, s3_role=UNKNOWN_MARKER, events=[UNKNOWN_MARKER])
    checked, failures = server.check({}, inputs)
    assert failures == []
    assert checked["s3_bucket"] == UNKNOWN_MARKER
    old = {**checked, "s3_bucket": "acme-export", "s3_role": "r", "events": ["Signup"]}
    diff = server.diff("events-daily-aws-monoschema", old, checked)
    assert diff.changes == diff.DIFF_SOME and "s3_bucket" in diff.replaces
    assert admin.requests() == []


def test_an_editable_change_is_an_update_through_edit(server, admin):
    id_, outs = create(server, ARGS["aws"]())
    news, _ = server.check(outs, {**outs, "events": ["Signup"], "where": 'properties["plan"] == "pro"',
                                  "glue_role": "arn:aws:iam::1:role/g2"})
    diff = server.diff(id_, outs, news)
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    updated = server.update(id_, outs, news)
    assert updated["pipeline_names"] == [id_]
    params = admin.pipeline(id_)["params"]
    assert params["events"] == ["Signup"] and params["glue_role"] == "arn:aws:iam::1:role/g2"
    assert [e["op"] for e in admin.requests()] == ["create", "edit"]


def test_a_replace_only_change_is_a_replacement_deleted_first(server, admin):
    id_, outs = create(server, ARGS["aws"]())
    news, _ = server.check(outs, {**outs, "s3_prefix": "mixpanel/"})
    diff = server.diff(id_, outs, news)
    assert list(diff.replaces) == ["s3_prefix"] and diff.deleteBeforeReplace


def test_paused_pauses_and_resumes(server, admin):
    id_, outs = create(server, ARGS["gcs-raw"]())
    news, _ = server.check(outs, {**outs, "paused": True})
    assert list(server.diff(id_, outs, news).replaces) == []
    paused = server.update(id_, outs, news)
    assert admin.pipeline(id_)["paused"] is True
    resumed_inputs, _ = server.check(paused, {**paused, "paused": False})
    server.update(id_, paused, resumed_inputs)
    assert admin.pipeline(id_)["paused"] is False


def test_created_paused(server, admin):
    args = ARGS["gcs-raw"]()
    args.paused = True
    id_, _ = create(server, args)
    assert admin.pipeline(id_)["paused"] is True


def test_drift_a_pipeline_cancelled_outside_pulumi_is_gone(server, admin):
    id_, outs = create(server, ARGS["s3-raw"]())
    admin.cancel_behind_the_back(id_)
    read_id, _ = server.read(id_, outs)
    assert read_id == ""


def test_delete_of_a_gone_pipeline_succeeds(server, admin):
    id_, outs = create(server, ARGS["gcs-raw"]())
    admin.cancel_behind_the_back(id_)
    server.delete(id_, outs)


def test_a_trial_pipeline_that_mixpanel_will_not_cancel_is_a_clear_error(server, admin):
    args = pm.BigQueryPipelineArgs(trial=True, bq_share_with_group="bq-access-alias@somecompany.com")
    id_, outs = create(server, args)
    assert id_ == "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema"
    assert outs["bigquery_dataset_name"].startswith("https://bigquery.cloud.google.com/dataset/")
    with pytest.raises(grpc.RpcError) as raised:
        server.delete(id_, outs)
    message = raised.value.details()
    assert "trial" in message and "retain_on_delete" in message
    assert len(admin.pipelines()) == 2


def test_adopt_existing_takes_over_without_creating(server, admin):
    id_, _ = create(server, ARGS["gcs-schema"]())
    args = ARGS["gcs-schema"]()
    args.adopt_existing = True
    adopted_id, outs = create(server, args)
    assert adopted_id == id_ and outs["pipeline_names"] == [id_]
    assert len(admin.requests("create")) == 1 and len(admin.pipelines()) == 1


def test_credentials_from_the_environment(emulator, admin):
    env = {"MIXPANEL_ENDPOINT": emulator.base_url, "MIXPANEL_API_SECRET": "emulator-api-secret"}
    with ProviderServer(env=env) as server:
        server.configure({})
        id_, _ = create(server, ARGS["gcs-raw"]())
    assert admin.requests("create")[0]["auth"] == "api_secret"


def test_config_wins_over_the_environment(emulator, admin):
    env = {"MIXPANEL_ENDPOINT": "http://127.0.0.1:1", "MIXPANEL_API_SECRET": "wrong"}
    with ProviderServer(env=env) as server:
        server.configure(emulator_config(emulator.base_url))
        create(server, ARGS["gcs-raw"]())
    assert admin.requests("create")[0]["auth"] == "service_account:emulator"


def test_missing_credentials_are_one_clear_error(emulator):
    with ProviderServer() as server:
        server.configure({"mixpanel:endpoint": emulator.base_url})
        inputs = program_inputs(ARGS["gcs-raw"]())
        checked, failures = server.check({}, inputs)
        assert failures == []  # preview needs no credentials
        with pytest.raises(grpc.RpcError) as raised:
            server.create(checked)
    message = raised.value.details()
    assert "mixpanel:serviceAccountUsername" in message and "MIXPANEL_API_SECRET" in message


def test_the_serialized_provider_is_small_and_holds_no_secret():
    inputs = program_inputs(ARGS["azure-blob"]())
    assert len(inputs["__provider"]) < 1024
    import base64
    assert b"AZURE-SECRET" not in base64.b64decode(inputs["__provider"])
