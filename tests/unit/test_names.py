"""Pipeline names, built and parsed in one place."""

from __future__ import annotations

import pytest

from pulumi_mixpanel.core.names import (
    PipelineName,
    id_from_names,
    is_people_pipeline,
    names_from_id,
    parse_pipeline_name,
    pipeline_name,
)


@pytest.mark.parametrize(
    "name, parsed",
    [
        ("events-daily-bigquery-monoschema", PipelineName("bigquery", "events", "daily", False, "monoschema")),
        ("trial-people-daily-bigquery-monoschema", PipelineName("bigquery", "people", "daily", True, "monoschema")),
        ("events-hourly-gcs-schema-multischema", PipelineName("gcs-schema", "events", "hourly", False, "multischema")),
        ("events-daily-azure-blob-monoschema", PipelineName("azure-blob", "events", "daily", False, "monoschema")),
        ("events-hourly-gcs-raw", PipelineName("gcs-raw", "events", "hourly")),
        ("trial-events-daily-s3-raw", PipelineName("s3-raw", "events", "daily", True)),
        ("events-daily-azure-raw", PipelineName("azure-raw", "events", "daily")),
    ],
)
def test_names_round_trip(name, parsed):
    assert parse_pipeline_name(name) == parsed
    assert str(parsed) == name
    assert (
        pipeline_name(
            parsed.type, parsed.data_source, parsed.frequency, trial=parsed.trial, schema_type=parsed.schema_type
        )
        == name
    )


@pytest.mark.parametrize(
    "name",
    [
        "foo-bq-pipeline",
        "events-weekly-aws-monoschema",
        "events-daily-gcs-raw-monoschema",
        "events-daily-aws",
        "groups-daily-aws-monoschema",
        "events-daily-aws-polyschema",
        "",
    ],
)
def test_names_of_another_shape_are_not_parsed(name):
    assert parse_pipeline_name(name) is None


def test_people_are_always_monoschema_and_raw_types_have_no_schema():
    assert (
        pipeline_name("aws", "people", "daily", trial=False, schema_type="multischema") == "people-daily-aws-monoschema"
    )
    assert pipeline_name("gcs-raw", "events", "daily", trial=False, schema_type="multischema") == "events-daily-gcs-raw"
    assert is_people_pipeline("trial-people-daily-aws-monoschema")
    assert not is_people_pipeline("events-daily-aws-monoschema") and not is_people_pipeline("people-pipeline")


def test_ids_are_names_joined_with_commas():
    names = ["trial-events-daily-bigquery-monoschema", "trial-people-daily-bigquery-monoschema"]
    assert names_from_id(id_from_names(names)) == names
    assert names_from_id(" a , ,b ") == ["a", "b"]
