"""One source of truth for the API's tables: Mixpanel's OpenAPI description.

The input models and the emulator keep their own tables (the emulator is an independent
implementation), and both are checked here against the OpenAPI file, or, for what only the
classic generation has, against the classic page. A change on Mixpanel's side fails here.
"""

from __future__ import annotations

import re

import pytest

from pulumi_mixpanel.core import choices
from pulumi_mixpanel.core.models import CLASS_BY_TYPE, edit_parameters, sent_at_create
from pulumi_mixpanel.emulator import validation as emulator
from tests.support.openapi import CLASSIC_PAGE, OpenApiContract

SPEC = OpenApiContract()
# Parameters only the classic page has (Mixpanel-hosted generations, data_format for warehouses).
CLASSIC_ONLY = {
    "bigquery": {"bq_share_with_group", "data_format"},
    "snowflake": {"snowflake_share_with", "data_format"},
}


def create_schema(pipeline_type: str) -> dict:
    return SPEC.create_schema(pipeline_type)


def enum(pipeline_type: str, parameter: str) -> tuple:
    return tuple(create_schema(pipeline_type)["properties"][parameter]["enum"])


def test_the_pipeline_types_are_the_specs():
    spec_types = set(SPEC.document["components"]["schemas"]["PipelineType"]["enum"])
    assert set(choices.PIPELINE_TYPES) == set(CLASS_BY_TYPE) == spec_types == set(emulator.PIPELINE_TYPES)
    assert (
        set(choices.SCHEMATIZED_TYPES)
        == set(emulator.SCHEMATIZED_TYPES)
        == {t for t in spec_types if "schema_type" in create_schema(t)["properties"]}
    )


@pytest.mark.parametrize("pipeline_type", choices.PIPELINE_TYPES)
def test_each_types_parameters_are_the_specs(pipeline_type):
    spec = set(create_schema(pipeline_type)["properties"]) - {"project_id"}
    cls = CLASS_BY_TYPE[pipeline_type]
    model = {name for name in cls.model_fields if sent_at_create(cls, name)}
    classic_only = CLASSIC_ONLY.get(pipeline_type, set())
    assert model - classic_only == spec
    emulated = emulator.COMMON_PARAMS | emulator.TYPE_PARAMS[pipeline_type]
    if pipeline_type in emulator.SCHEMATIZED_TYPES:
        emulated |= emulator.SCHEMATIZED_PARAMS
    else:
        emulated -= {"sync"}  # accepted and refused with a reason: raw pipelines do not sync
    assert emulated - classic_only == spec


def test_the_classic_only_parameters_are_on_the_classic_page():
    for parameter in ("bq_share_with_group", "snowflake_share_with", "data_format"):
        assert re.search(rf"^{parameter}$", CLASSIC_PAGE, re.M), parameter


@pytest.mark.parametrize("pipeline_type", choices.PIPELINE_TYPES)
def test_enumerations_are_the_specs(pipeline_type):
    properties = create_schema(pipeline_type)["properties"]
    assert choices.FREQUENCIES == emulator.FREQUENCIES == enum(pipeline_type, "frequency")
    if "schema_type" in properties:
        assert choices.SCHEMA_TYPES == emulator.SCHEMA_TYPES == enum(pipeline_type, "schema_type")
        assert choices.DATA_SOURCES == emulator.DATA_SOURCES == enum(pipeline_type, "data_source")
    else:
        assert enum(pipeline_type, "data_source") == ("events",)
    if "data_format" in properties:
        formats = enum(pipeline_type, "data_format")
        assert formats == (choices.FILE_FORMATS if pipeline_type in choices.PARQUET_TYPES else ("json",))
        assert (pipeline_type in emulator.PARQUET_TYPES) == ("parquet" in formats)
    if "s3_encryption" in properties:
        assert choices.S3_ENCRYPTIONS == emulator.S3_ENCRYPTIONS == enum(pipeline_type, "s3_encryption")


def test_regions_are_the_specs():
    assert choices.AWS_REGIONS == emulator.AWS_S3_REGIONS == enum("aws", "s3_region")
    assert choices.S3_RAW_REGIONS == emulator.RAW_S3_REGIONS == enum("s3-raw", "s3_region")
    assert (
        choices.GCS_REGIONS == emulator.GCS_REGIONS == enum("gcs-raw", "gcs_region") == enum("gcs-schema", "gcs_region")
    )
    assert choices.BIGQUERY_REGIONS == emulator.BQ_REGIONS == enum("bigquery", "bq_region")


def test_the_classic_bigquery_regions_are_the_classic_pages():
    sentence = re.search(r"Allowed choices are ([A-Z_0-9, ]+) and ([A-Z_0-9]+)\.", CLASSIC_PAGE)
    assert sentence, "the classic page no longer lists the BigQuery regions"
    listed = tuple(part.strip() for part in sentence.group(1).split(",")) + (sentence.group(2),)
    assert choices.CLASSIC_BIGQUERY_REGIONS == emulator.CLASSIC_BQ_REGIONS == listed


@pytest.mark.parametrize("pipeline_type", choices.PIPELINE_TYPES)
def test_what_edit_can_change_is_the_specs(pipeline_type):
    spec = set(SPEC.edit_schema(pipeline_type)["properties"]) - {"name", "project_id"}
    assert set(edit_parameters(CLASS_BY_TYPE[pipeline_type]).values()) == spec
    assert {"events", "where"} | emulator.TYPE_EDIT_PARAMS.get(pipeline_type, frozenset()) == spec


@pytest.mark.parametrize("pipeline_type", choices.PIPELINE_TYPES)
def test_required_parameters_are_the_specs_or_a_documented_mode(pipeline_type):
    cls = CLASS_BY_TYPE[pipeline_type]
    required = {name for name, field in cls.model_fields.items() if field.is_required()}
    spec_required = set(create_schema(pipeline_type).get("required", [])) - {"type"}
    # Conditionally required in the models (checked by rules, reported by name), never left out:
    conditional = {
        "from_date",
        "s3_role",
        "sync",
        "schema_type",
        "bq_region",
        "gcp_project",
        "bq_dataset_name",
        *{n for n in spec_required if n.startswith("snowflake_")},
    }
    assert required <= spec_required
    assert spec_required - required <= conditional
