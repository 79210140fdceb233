"""Every input class and every validation rule, without Pulumi or HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pulumi_mixpanel as pm
from harness import inputs as valid
from pulumi_mixpanel.core.errors import PipelineInputError
from pulumi_mixpanel.core.models import CLASS_BY_TYPE, NOT_KNOWN, PIPELINE_CLASSES, validate_pipeline
from pulumi_mixpanel.core.models.base import months_before

TODAY = dt.date(2026, 11, 27)
RECENT = valid.recent(TODAY)  # 2026-11-20


def problems_of(pipeline_type: str, **overrides) -> dict[str, str]:
    _, problems = validate_pipeline(valid.inputs(pipeline_type, day=TODAY, **overrides), today=TODAY)
    return {p.property: p.reason for p in problems}


def test_there_is_one_class_per_destination_type_with_the_design_names():
    assert {cls.__name__: cls.TYPE for cls in PIPELINE_CLASSES} == {
        "BigQueryPipelineArgs": "bigquery", "SnowflakePipelineArgs": "snowflake", "AwsPipelineArgs": "aws",
        "AzureBlobPipelineArgs": "azure-blob", "GcsSchemaPipelineArgs": "gcs-schema",
        "S3RawPipelineArgs": "s3-raw", "GcsRawPipelineArgs": "gcs-raw", "AzureRawPipelineArgs": "azure-raw",
    }  # fmt: skip
    for cls in PIPELINE_CLASSES:
        program_class = getattr(pm, cls.__name__)
        assert issubclass(program_class, cls) and program_class.TYPE == cls.TYPE
        assert program_class.model_fields.keys() == cls.model_fields.keys()
        assert "paused" in cls.model_fields


@pytest.mark.parametrize("pipeline_type", valid.PIPELINE_TYPES)
def test_each_class_accepts_the_factory_input_and_builds_a_request(pipeline_type):
    model, problems = validate_pipeline(valid.inputs(pipeline_type, day=TODAY), today=TODAY)
    assert problems == []
    fields = model.request_fields(today=TODAY)
    assert fields[0] == ("type", pipeline_type)
    assert not {"paused", "adopt_existing", "api_mode"} & {name for name, _ in fields}
    assert pipeline_type == valid.args(pipeline_type, day=TODAY).TYPE


def test_a_class_holds_only_its_own_fields():
    assert problems_of("gcs-raw", s3_bucket="x") == {"s3_bucket": "is not a parameter of gcs-raw pipelines"}
    assert "use_glue" not in pm.S3RawPipelineArgs.model_fields
    assert "schema_type" not in pm.AzureRawPipelineArgs.model_fields


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


def test_a_date_object_is_accepted_and_stored_as_text_but_a_datetime_is_not():
    model, _ = validate_pipeline(valid.inputs("gcs-raw", day=TODAY, from_date=dt.date(2026, 11, 2)), today=TODAY)
    assert model.from_date == "2026-11-02"
    assert "from_date" in problems_of("gcs-raw", from_date=dt.datetime(2026, 11, 2, 12, 0))


def test_to_date_must_not_be_before_the_start():
    assert problems_of("gcs-raw", to_date="2026-11-01") == {
        "to_date": f"2026-11-01 is before the export starts ({RECENT})"
    }
    assert "to_date" in problems_of("gcs-raw", from_date=None, trial=True, to_date="2026-11-25")
    assert problems_of("gcs-raw", from_date=None, trial=True, to_date="2026-11-26") == {}


def test_from_date_at_most_six_months_back_and_only_when_new():
    assert months_before(TODAY, 6) == dt.date(2026, 5, 27)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert problems_of("gcs-raw", from_date="2026-05-27") == {}
    assert "six months" in problems_of("gcs-raw", from_date="2026-05-26")["from_date"]
    assert "six months" in problems_of("gcs-raw", from_date="2026-05-26", trial=True)["from_date"]
    old = valid.inputs("gcs-raw", from_date="2025-01-01")
    assert validate_pipeline(old, today=TODAY, check_from_date_window=False)[1] == []
    assert "future" in problems_of("gcs-raw", from_date="2026-11-28")["from_date"]


def test_frequency_only_for_an_export_without_end():
    assert "frequency" in problems_of("gcs-raw", to_date="2026-11-25", frequency="hourly")
    assert problems_of("gcs-raw", frequency="hourly") == {}
    assert "frequency" in problems_of("gcs-raw", frequency="weekly")


def test_where_only_with_events_and_people_only_monoschema():
    assert problems_of("gcs-schema", where='properties["x"] == 1') == {}
    assert "where" in problems_of("gcs-schema", where='properties["x"] == 1', data_source="people")
    assert "events" in problems_of("gcs-schema", events=["Signup"], data_source="people")
    assert (
        problems_of("gcs-schema", events=["Signup"], trial=True, from_date=None) == {}
    )  # the events pipeline takes it
    assert "schema_type" in problems_of("gcs-schema", data_source="people", schema_type="multischema")


def test_enums_name_the_allowed_values():
    assert problems_of("aws", s3_region="mars-1")["s3_region"].startswith("'mars-1' is not one of us-east-1, ")
    assert "s3_region" in problems_of("aws", s3_region="me-south-1")  # raw S3 only
    assert problems_of("s3-raw", s3_region="me-south-1") == {}
    assert "gcs_region" in problems_of("gcs-schema", gcs_region="moon")
    assert "s3_encryption" in problems_of("aws", s3_encryption="rot13")
    assert "schema_type" in problems_of("aws", schema_type="polyschema")
    assert "bq_region" in problems_of("bigquery", bq_region="MARS")


def test_a_bad_raw_s3_region_is_reported_once():
    _, problems = validate_pipeline(valid.inputs("s3-raw", day=TODAY, s3_region="mars-1"), today=TODAY)
    assert [p.property for p in problems] == ["s3_region"]


def test_data_format_the_provider_and_the_emulator_agree_on():
    for pipeline_type in ("aws", "azure-blob", "gcs-schema"):
        assert problems_of(pipeline_type, data_format="parquet") == {}
    for pipeline_type in ("s3-raw", "gcs-raw", "azure-raw"):
        assert "data_format" in problems_of(pipeline_type, data_format="parquet")
        assert problems_of(pipeline_type, data_format="json") == {}
        assert "data_source" in problems_of(pipeline_type, data_source="people")
    # The classic page lists data_format for every type; for a warehouse only json makes sense,
    # and the current API has no such parameter for bigquery and snowflake.
    assert "data_format" in problems_of("bigquery", data_format="parquet")
    assert "current API" in problems_of("bigquery", data_format="json")["data_format"]
    assert problems_of("bigquery", data_format="json", api_mode="classic") == {}
    hosted = valid.trial(data_format="json")
    model, problems = validate_pipeline(hosted, today=TODAY)
    assert problems == [] and ("data_format", "json") in model.request_fields(today=TODAY)


def test_kms_key_and_glue_fields_follow_their_switches():
    assert "s3_kms_key_id" in problems_of("aws", s3_kms_key_id="k")
    assert problems_of("aws", s3_kms_key_id="k", s3_encryption="kms") == {}
    assert set(problems_of("aws", glue_database=None, glue_role=None)) == {"glue_database", "glue_role"}
    assert "glue_database" in problems_of("aws", use_glue=None)


def test_bigquery_needs_exactly_one_generation():
    assert "gcp_project" in problems_of("bigquery", gcp_project=None, bq_dataset_name=None)
    assert "bq_dataset_name" in problems_of("bigquery", bq_dataset_name=None)
    assert "bq_share_with_group" in problems_of("bigquery", bq_share_with_group="g@acme.com")
    hosted = dict(gcp_project=None, bq_dataset_name=None, bq_share_with_group="g@acme.com")
    assert problems_of("bigquery", **hosted) == {}
    assert "bq_region" in problems_of("bigquery", **hosted, bq_region="US_EAST_1")
    assert "api_mode" in problems_of("bigquery", **hosted, api_mode="current")


def test_an_empty_share_list_fails_at_check_not_at_create():
    problems = problems_of("bigquery", gcp_project=None, bq_dataset_name=None, bq_share_with_group=[])
    assert problems == {"bq_share_with_group": "must list at least one value (an empty list sends nothing)"}


def test_an_invalid_share_is_reported_without_a_misleading_second_problem():
    problems = problems_of("bigquery", gcp_project=None, bq_dataset_name=None, bq_share_with_group=[5])
    assert set(problems) == {"bq_share_with_group[0]"}


def test_snowflake_needs_exactly_one_generation():
    customer = {k: None for k in valid.fields("snowflake") if k.startswith("snowflake_")}
    assert problems_of("snowflake", **customer, snowflake_share_with="acct") == {}
    assert "snowflake_account_name" in problems_of("snowflake", **customer)
    assert set(problems_of("snowflake", snowflake_role=None, snowflake_user=None)) == {
        "snowflake_role",
        "snowflake_user",
    }
    assert "snowflake_share_with" in problems_of("snowflake", snowflake_share_with="acct")


def test_api_modes_decide_sync_and_s3_role():
    assert "s3_role" in problems_of("aws", s3_role=None)
    assert problems_of("aws", s3_role=None, api_mode="classic") == {}
    assert "sync" in problems_of("aws", sync=False)
    assert problems_of("aws", sync=False, api_mode="classic") == {}
    current, _ = validate_pipeline(valid.inputs("aws", day=TODAY), today=TODAY)
    assert dict(current.request_fields(today=TODAY))["sync"] is True
    classic, _ = validate_pipeline(valid.inputs("aws", day=TODAY, api_mode="classic"), today=TODAY)
    assert dict(classic.request_fields(today=TODAY))["sync"] is False


def test_sync_is_a_create_time_default_not_a_check_default():
    model, _ = validate_pipeline(valid.inputs("aws", day=TODAY), today=TODAY)
    assert model.with_defaults().sync is None
    assert model.request_values().sync is True


def test_every_problem_is_reported_at_once():
    problems = problems_of("aws", s3_region="mars", from_date="2026-13-01", glue_database=None, s3_role=None, junk=1)
    assert set(problems) == {"s3_region", "from_date", "glue_database", "s3_role", "junk"}


def test_a_program_gets_every_problem_in_one_error_without_pydantic():
    with pytest.raises(PipelineInputError) as raised:
        pm.AwsPipelineArgs(s3_bucket="b", s3_region="us-east-1", s3_role="r", from_date="2026-13-45", use_glue=True)
    message = str(raised.value)
    assert message.startswith("invalid AwsPipelineArgs (3 problems):")
    for line in (
        "from_date: is not a real calendar date (got '2026-13-45')",
        "glue_database: is required when use_glue is true",
        "glue_role: is required when use_glue is true",
    ):
        assert line in message
    assert "pydantic" not in message and "validation error" not in message


def test_a_program_error_is_a_pulumi_run_error():
    import pulumi

    with pytest.raises(pulumi.RunError):
        pm.GcsRawPipelineArgs(gcs_bucket="", gcs_region="us-central1", from_date=RECENT)


def test_defaults_are_filled_in():
    model, _ = validate_pipeline(valid.inputs("gcs-schema", day=TODAY), today=TODAY)
    filled = model.with_defaults()
    assert (filled.trial, filled.paused, filled.frequency, filled.schema_type, filled.data_format, filled.api_mode) == (
        False,
        False,
        "daily",
        "monoschema",
        "json",
        "current",
    )
    bounded, _ = validate_pipeline(valid.inputs("gcs-schema", day=TODAY, to_date=TODAY.isoformat()), today=TODAY)
    assert bounded.with_defaults().frequency is None


def test_classic_trial_examples_from_the_reference():
    bigquery, problems = validate_pipeline(valid.trial(), today=TODAY)
    assert problems == []
    assert bigquery.expected_pipeline_names() == [
        "trial-events-daily-bigquery-monoschema",
        "trial-people-daily-bigquery-monoschema",
    ]
    snowflake, problems = validate_pipeline(
        {"type": "snowflake", "trial": True, "snowflake_share_with": "mysnowflakeaccountname"}, today=TODAY
    )
    assert problems == [] and snowflake.resolved_api_mode() == "classic"
    azure, problems = validate_pipeline(
        dict(
            type="azure-blob",
            trial=True,
            data_format="parquet",
            storage_account="mystorageaccount",
            container_name="mixpanel-export",
            prefix="custom_prefix/for/data",
            schema_type="multischema",
            client_id="REDACTED",
            client_secret="REDACTED",
            tenant_id="REDACTED",
        ),
        today=TODAY,
    )
    assert problems == []
    assert azure.expected_pipeline_names() == [
        "trial-events-daily-azure-blob-multischema",
        "trial-people-daily-azure-blob-monoschema",
    ]


def test_a_current_mode_trial_sends_yesterday_as_from_date():
    model, _ = validate_pipeline(
        {"type": "gcs-raw", "trial": True, "gcs_bucket": "b", "gcs_region": "us-east1"}, today=TODAY
    )
    assert dict(model.request_fields(today=TODAY))["from_date"] == "2026-11-26"


def test_lists_from_a_string_a_tuple_or_a_set_and_an_empty_list_is_absent():
    def events(value):
        model, problems = validate_pipeline(valid.inputs("gcs-raw", day=TODAY, events=value), today=TODAY)
        assert problems == []
        return model.events

    assert events("Signup") == ["Signup"]
    assert events(("b", "a")) == ["b", "a"]
    assert events({"b", "a"}) == ["a", "b"]  # sorted: a set has no order
    assert events(frozenset({"x"})) == ["x"]
    assert events([]) is None and events(()) is None
    assert "events[1]" in problems_of("gcs-raw", events=["ok", ""])


@pytest.mark.parametrize("odd", [b"Signup", Decimal("1"), object()])
def test_odd_types_are_refused_not_taken_for_values_not_known_yet(odd):
    assert "s3_bucket" in problems_of("s3-raw", s3_bucket=odd)
    assert "trial" in problems_of("s3-raw", trial=odd)


def test_a_type_that_is_not_a_string_is_a_problem_not_a_crash():
    for odd in ({"a": 1}, ["aws"], 5, None):
        model, problems = validate_pipeline({"type": odd}, today=TODAY)
        assert model is None and [p.property for p in problems] == ["type"]


def test_values_not_known_yet_are_skipped_never_failed():
    model, problems = validate_pipeline(
        {
            "type": "aws",
            "s3_bucket": NOT_KNOWN,
            "s3_region": NOT_KNOWN,
            "s3_role": NOT_KNOWN,
            "from_date": NOT_KNOWN,
            "to_date": NOT_KNOWN,
            "use_glue": NOT_KNOWN,
            "events": [NOT_KNOWN, "Signup"],
            "trial": NOT_KNOWN,
        },
        today=TODAY,
    )
    assert problems == []
    assert model.s3_bucket is NOT_KNOWN


def test_secrets_stay_out_of_repr_and_problems():
    args = valid.args("azure-blob", client_secret="TOP-SECRET-VALUE")
    assert "TOP-SECRET-VALUE" not in repr(args) and "TOP-SECRET-VALUE" not in str(args)
    assert "TOP-SECRET-VALUE" not in repr(valid.args("snowflake", snowflake_password="TOP-SECRET-VALUE"))
    with pytest.raises(PipelineInputError) as raised:
        valid.args("azure-blob", client_secret=5)
    assert "(got 5)" not in str(raised.value)
    assert "TOP-SECRET-VALUE" not in str(problems_of("azure-blob", client_secret=["TOP-SECRET-VALUE"]))


def test_every_class_is_registered_by_its_type():
    assert {cls.TYPE: cls for cls in PIPELINE_CLASSES} == CLASS_BY_TYPE
