"""Every input class and every validation rule, without Pulumi or HTTP."""

import datetime as dt

import pytest
from pydantic import ValidationError

import pulumi_mixpanel as pm
from pulumi_mixpanel.destinations import (
    CLASS_BY_TYPE,
    PIPELINE_CLASSES,
    months_before,
    validate_pipeline,
)

TODAY = dt.date(2026, 11, 27)
RECENT = "2026-11-01"

# One valid input per class (current API unless it is a classic-only generation).
VALID = {
    "bigquery": dict(gcp_project="acme-analytics", bq_dataset_name="mixpanel", from_date=RECENT),
    "snowflake": dict(
        snowflake_account_name="acme", snowflake_warehouse="wh", snowflake_storage_integration="si",
        snowflake_user="mixpanel", snowflake_password="pw-1", snowflake_role="loader",
        snowflake_database="analytics", snowflake_schema="mixpanel", from_date=RECENT,
    ),
    "aws": dict(s3_bucket="acme-export", s3_region="us-east-1", s3_role="arn:aws:iam::1:role/w", from_date=RECENT),
    "azure-blob": dict(storage_account="acme", container_name="mp", client_id="cid", client_secret="cs",
                       tenant_id="tid", from_date=RECENT),
    "gcs-schema": dict(gcs_bucket="acme-export", gcs_region="us-central1", from_date=RECENT),
    "s3-raw": dict(s3_bucket="acme-raw", s3_region="me-south-1", s3_role="arn:aws:iam::1:role/w", from_date=RECENT),
    "gcs-raw": dict(gcs_bucket="acme-raw", gcs_region="europe-west1", from_date=RECENT),
    "azure-raw": dict(storage_account="acme", container_name="raw", client_id="cid", client_secret="cs",
                      tenant_id="tid", from_date=RECENT),
}


def problems_of(pipeline_type, **overrides):
    values = {"type": pipeline_type, **VALID[pipeline_type], **overrides}
    values = {k: v for k, v in values.items() if v is not None}
    _, problems = validate_pipeline(values, today=TODAY)
    return {p.property: p.reason for p in problems}


def test_there_is_one_class_per_destination_type_with_the_design_names():
    assert {cls.__name__: cls.TYPE for cls in PIPELINE_CLASSES} == {
        "BigQueryPipelineArgs": "bigquery", "SnowflakePipelineArgs": "snowflake", "AwsPipelineArgs": "aws",
        "AzureBlobPipelineArgs": "azure-blob", "GcsSchemaPipelineArgs": "gcs-schema",
        "S3RawPipelineArgs": "s3-raw", "GcsRawPipelineArgs": "gcs-raw", "AzureRawPipelineArgs": "azure-raw",
    }
    for cls in PIPELINE_CLASSES:
        assert getattr(pm, cls.__name__) is cls
        assert "paused" in cls.model_fields


@pytest.mark.parametrize("pipeline_type", sorted(VALID))
def test_each_class_accepts_a_valid_input_and_builds_a_request(pipeline_type):
    model, problems = validate_pipeline({"type": pipeline_type, **VALID[pipeline_type]}, today=TODAY)
    assert problems == []
    fields = model.request_fields(today=TODAY)
    assert fields[0] == ("type", pipeline_type)
    assert all(name not in dict(fields) for name in ("paused", "adopt_existing", "api_mode"))
    cls = CLASS_BY_TYPE[pipeline_type]
    assert cls(**VALID[pipeline_type]).TYPE == pipeline_type


def test_a_class_holds_only_its_own_fields():
    assert problems_of("gcs-raw", s3_bucket="x") == {"s3_bucket": "is not a parameter of gcs-raw pipelines"}
    assert "use_glue" not in pm.S3RawPipelineArgs.model_fields
    assert "schema_type" not in pm.AzureRawPipelineArgs.model_fields
    with pytest.raises(ValidationError, match="s3_bucket"):
        pm.GcsRawPipelineArgs(gcs_bucket="b", gcs_region="us-east1", from_date=RECENT, s3_bucket="x")


def test_required_fields_name_the_property():
    assert problems_of("aws", s3_bucket=None)["s3_bucket"] == "is required for aws pipelines"
    assert problems_of("azure-blob", tenant_id=None)["tenant_id"] == "is required for azure-blob pipelines"


def test_from_date_is_required_unless_trial():
    assert problems_of("gcs-raw", from_date=None) == {"from_date": "is required unless trial is true"}
    assert problems_of("gcs-raw", from_date=None, trial=True) == {}


@pytest.mark.parametrize("bad", ["2026/11/01", "01-11-2026", "2026-02-30", "yesterday"])
def test_dates_must_be_real_yyyy_mm_dd(bad):
    assert "from_date" in problems_of("aws", from_date=bad)
    assert "to_date" in problems_of("aws", to_date=bad)


def test_a_date_object_is_accepted_and_stored_as_text():
    model, _ = validate_pipeline({"type": "gcs-raw", **VALID["gcs-raw"], "from_date": dt.date(2026, 11, 2)}, today=TODAY)
    assert model.from_date == "2026-11-02"


def test_to_date_must_not_be_before_from_date():
    assert problems_of("aws", to_date="2026-10-01") == {"to_date": "2026-10-01 is before the export starts (2026-11-01)"}
    assert "to_date" in problems_of("gcs-raw", from_date=None, trial=True, to_date="2026-11-25")
    assert problems_of("gcs-raw", from_date=None, trial=True, to_date="2026-11-26") == {}


def test_from_date_at_most_six_months_back_and_only_when_new():
    assert months_before(TODAY, 6) == dt.date(2026, 5, 27)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert problems_of("aws", from_date="2026-05-27") == {}
    assert "six months" in problems_of("aws", from_date="2026-05-26")["from_date"]
    # The OpenAPI states the limit for every pipeline; a trial only defaults from_date to yesterday.
    assert "six months" in problems_of("aws", from_date="2026-05-26", trial=True)["from_date"]
    old = {"type": "aws", **VALID["aws"], "from_date": "2025-01-01"}
    assert validate_pipeline(old, today=TODAY, check_from_date_window=False)[1] == []


def test_from_date_may_not_be_in_the_future():
    assert "future" in problems_of("aws", from_date="2026-11-28")["from_date"]


def test_frequency_only_for_an_export_without_end():
    assert "frequency" in problems_of("aws", to_date="2026-11-20", frequency="hourly")
    assert problems_of("aws", frequency="hourly") == {}
    assert "frequency" in problems_of("aws", frequency="weekly")


def test_where_only_with_events():
    assert problems_of("aws", where='properties["x"] == 1') == {}
    assert "where" in problems_of("aws", where='properties["x"] == 1', data_source="people")


def test_people_are_always_monoschema():
    assert "schema_type" in problems_of("gcs-schema", data_source="people", schema_type="multischema")


def test_enums_for_regions_encryption_and_schema_type():
    assert "s3_region" in problems_of("aws", s3_region="mars-1")
    assert "s3_region" in problems_of("aws", s3_region="me-south-1")  # raw S3 only
    assert "gcs_region" in problems_of("gcs-schema", gcs_region="moon")
    assert "s3_encryption" in problems_of("aws", s3_encryption="rot13")
    assert "schema_type" in problems_of("aws", schema_type="polyschema")
    assert "bq_region" in problems_of("bigquery", bq_region="MARS")


def test_parquet_only_where_allowed_and_raw_types_are_events_json_only():
    for pipeline_type in ("aws", "azure-blob", "gcs-schema"):
        assert problems_of(pipeline_type, data_format="parquet") == {}
    for pipeline_type in ("s3-raw", "gcs-raw", "azure-raw"):
        assert "data_format" in problems_of(pipeline_type, data_format="parquet")
        assert "data_source" in problems_of(pipeline_type, data_source="people")
    assert "data_format" in problems_of("bigquery", data_format="parquet")


def test_kms_key_only_with_kms():
    assert "s3_kms_key_id" in problems_of("aws", s3_kms_key_id="k")
    assert problems_of("aws", s3_kms_key_id="k", s3_encryption="kms") == {}


def test_glue_fields_required_with_use_glue_and_only_then():
    assert set(problems_of("aws", use_glue=True)) == {"glue_database", "glue_role"}
    assert problems_of("aws", use_glue=True, glue_database="db", glue_role="r", glue_table_prefix="mp_") == {}
    assert "glue_database" in problems_of("aws", glue_database="db")


def test_bigquery_needs_exactly_one_generation():
    assert "gcp_project" in problems_of("bigquery", gcp_project=None, bq_dataset_name=None)
    assert "bq_dataset_name" in problems_of("bigquery", bq_dataset_name=None)
    assert "bq_share_with_group" in problems_of("bigquery", bq_share_with_group="g@acme.com")
    classic = problems_of("bigquery", gcp_project=None, bq_dataset_name=None, bq_share_with_group="g@acme.com")
    assert classic == {}
    assert "bq_region" in problems_of("bigquery", gcp_project=None, bq_dataset_name=None,
                                      bq_share_with_group="g@acme.com", bq_region="US_EAST_1")
    assert "api_mode" in problems_of("bigquery", gcp_project=None, bq_dataset_name=None,
                                     bq_share_with_group="g@acme.com", api_mode="current")


def test_snowflake_needs_exactly_one_generation():
    customer = {k: None for k in VALID["snowflake"] if k.startswith("snowflake_")}
    assert problems_of("snowflake", **customer, snowflake_share_with="acct") == {}
    assert "snowflake_account_name" in problems_of("snowflake", **customer)
    assert set(problems_of("snowflake", snowflake_role=None, snowflake_user=None)) == {"snowflake_role", "snowflake_user"}
    assert "snowflake_share_with" in problems_of("snowflake", snowflake_share_with="acct")


def test_api_modes_decide_sync_and_s3_role():
    assert "s3_role" in problems_of("aws", s3_role=None)
    assert problems_of("aws", s3_role=None, api_mode="classic") == {}
    assert "sync" in problems_of("aws", sync=False)
    assert problems_of("aws", sync=False, api_mode="classic") == {}
    current = dict(validate_pipeline({"type": "aws", **VALID["aws"]}, today=TODAY)[0].request_fields(today=TODAY))
    assert current["sync"] is True and current["schema_type"] == "monoschema"
    classic, _ = validate_pipeline({"type": "aws", **VALID["aws"], "api_mode": "classic"}, today=TODAY)
    assert dict(classic.request_fields(today=TODAY))["sync"] is False


def test_every_problem_is_reported_at_once():
    problems = problems_of("aws", s3_region="mars", from_date="2026-13-01", use_glue=True, s3_role=None, junk=1)
    assert set(problems) == {"s3_region", "from_date", "glue_database", "glue_role", "s3_role", "junk"}


def test_defaults_are_filled_in():
    model, _ = validate_pipeline({"type": "aws", **VALID["aws"]}, today=TODAY)
    filled = model.with_defaults()
    assert (filled.trial, filled.paused, filled.frequency, filled.schema_type, filled.sync, filled.data_format,
            filled.s3_encryption, filled.use_glue, filled.api_mode) == (
        False, False, "daily", "monoschema", True, "json", "none", False, "current")
    bounded, _ = validate_pipeline({"type": "aws", **VALID["aws"], "to_date": "2026-11-10"}, today=TODAY)
    assert bounded.with_defaults().frequency is None


def test_classic_trial_examples_from_the_reference():
    bigquery, problems = validate_pipeline(
        {"type": "bigquery", "trial": True, "bq_share_with_group": "bq-access-alias@somecompany.com"}, today=TODAY)
    assert problems == []
    assert bigquery.expected_pipeline_names() == [
        "trial-events-daily-bigquery-monoschema", "trial-people-daily-bigquery-monoschema"]
    assert dict(bigquery.request_fields(today=TODAY))["bq_share_with_group"] == ["bq-access-alias@somecompany.com"]
    snowflake, problems = validate_pipeline(
        {"type": "snowflake", "trial": True, "snowflake_share_with": "mysnowflakeaccountname"}, today=TODAY)
    assert problems == [] and snowflake.resolved_api_mode() == "classic"
    azure, problems = validate_pipeline(dict(
        type="azure-blob", trial=True, data_format="parquet", storage_account="mystorageaccount",
        container_name="mixpanel-export", prefix="custom_prefix/for/data", schema_type="multischema",
        client_id="REDACTED", client_secret="REDACTED", tenant_id="REDACTED"), today=TODAY)
    assert problems == []
    assert azure.expected_pipeline_names() == [
        "trial-events-daily-azure-blob-multischema", "trial-people-daily-azure-blob-monoschema"]


def test_a_current_mode_trial_sends_yesterday_as_from_date():
    model, _ = validate_pipeline({"type": "gcs-raw", "trial": True, "gcs_bucket": "b", "gcs_region": "us-east1"},
                                 today=TODAY)
    assert dict(model.request_fields(today=TODAY))["from_date"] == "2026-11-26"


def test_events_are_a_list_and_one_string_is_a_list_of_one():
    model, _ = validate_pipeline({"type": "gcs-raw", **VALID["gcs-raw"], "events": "Signup"}, today=TODAY)
    assert model.events == ["Signup"]
    assert "events[1]" in problems_of("gcs-raw", events=["ok", ""])


class NotKnownYet:
    """Stands in for a Pulumi Output or a preview Unknown."""


def test_values_not_known_yet_are_skipped_never_failed():
    unknown = NotKnownYet()
    model, problems = validate_pipeline(
        {"type": "aws", "s3_bucket": unknown, "s3_region": unknown, "s3_role": unknown, "from_date": unknown,
         "to_date": unknown, "use_glue": unknown, "events": [unknown, "Signup"]}, today=TODAY)
    assert problems == []
    assert model.s3_bucket is unknown
    args = pm.AwsPipelineArgs(s3_bucket=unknown, s3_region="us-east-1", from_date=RECENT)
    assert args.s3_bucket is unknown


def test_secrets_stay_out_of_repr_and_problems():
    args = pm.AzureBlobPipelineArgs(**VALID["azure-blob"] | {"client_secret": "TOP-SECRET-VALUE"})
    assert "TOP-SECRET-VALUE" not in repr(args) and "TOP-SECRET-VALUE" not in str(args)
    snowflake = pm.SnowflakePipelineArgs(**VALID["snowflake"] | {"snowflake_password": "TOP-SECRET-VALUE"})
    assert "TOP-SECRET-VALUE" not in repr(snowflake)
    with pytest.raises(ValidationError) as raised:
        pm.AzureBlobPipelineArgs(**VALID["azure-blob"] | {"client_secret": ["TOP-SECRET-VALUE"]})
    assert "TOP-SECRET-VALUE" not in str(raised.value)
    problems = problems_of("azure-blob", client_secret=["TOP-SECRET-VALUE"])
    assert "TOP-SECRET-VALUE" not in str(problems)
