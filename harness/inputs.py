"""The one factory of valid inputs: one valid configuration per destination type.

Values use the API's parameter names. Dates are relative to today (UTC), because the provider
servers run on the real clock; unit tests that fix the clock pass `today=` to the factory.
Secret values contain `/+= &@%`, so a leak in any encoding shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import pulumi_mixpanel

CLIENT_SECRET = "az/Secret+1= &@%x"
SNOWFLAKE_PASSWORD = "sf/Pass+2= &@%y"
PIPELINE_TYPES = ("bigquery", "snowflake", "aws", "azure-blob", "gcs-schema", "s3-raw", "gcs-raw", "azure-raw")
CLASS_NAMES = {
    "bigquery": "BigQueryPipelineArgs", "snowflake": "SnowflakePipelineArgs", "aws": "AwsPipelineArgs",
    "azure-blob": "AzureBlobPipelineArgs", "gcs-schema": "GcsSchemaPipelineArgs", "s3-raw": "S3RawPipelineArgs",
    "gcs-raw": "GcsRawPipelineArgs", "azure-raw": "AzureRawPipelineArgs",
}  # fmt: skip


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def recent(day: Optional[dt.date] = None) -> str:
    return ((day or today()) - dt.timedelta(days=7)).isoformat()


def _valid(pipeline_type: str, start: str) -> dict[str, Any]:
    return {
        "bigquery": dict(gcp_project="acme-analytics", bq_dataset_name="mixpanel", from_date=start),
        "snowflake": dict(
            snowflake_account_name="acme-xy12345",
            snowflake_warehouse="wh",
            snowflake_storage_integration="si",
            snowflake_user="mixpanel",
            snowflake_password=SNOWFLAKE_PASSWORD,
            snowflake_role="loader",
            snowflake_database="analytics",
            snowflake_schema="mixpanel",
            from_date=start,
        ),
        "aws": dict(
            s3_bucket="acme-export",
            s3_region="us-east-1",
            s3_role="arn:aws:iam::1:role/w",
            from_date=start,
            use_glue=True,
            glue_database="db",
            glue_role="arn:aws:iam::1:role/g",
        ),
        "azure-blob": dict(
            storage_account="acme",
            container_name="mp",
            client_id="cid",
            client_secret=CLIENT_SECRET,
            tenant_id="tid",
            from_date=start,
            data_format="parquet",
            schema_type="multischema",
        ),
        "gcs-schema": dict(gcs_bucket="acme-export", gcs_region="us-central1", from_date=start),
        "s3-raw": dict(s3_bucket="acme-raw", s3_region="us-west-2", s3_role="arn:aws:iam::1:role/w", from_date=start),
        "gcs-raw": dict(gcs_bucket="acme-raw", gcs_region="europe-west1", from_date=start),
        "azure-raw": dict(
            storage_account="acme",
            container_name="raw",
            client_id="cid",
            client_secret=CLIENT_SECRET,
            tenant_id="tid",
            from_date=start,
        ),
    }[pipeline_type]


def fields(pipeline_type: str, *, day: Optional[dt.date] = None, **overrides: Any) -> dict[str, Any]:
    """A valid configuration's fields (no `type`); an override of None removes the field."""
    values = {**_valid(pipeline_type, recent(day)), **overrides}
    return {key: value for key, value in values.items() if value is not None}


def inputs(pipeline_type: str, *, day: Optional[dt.date] = None, **overrides: Any) -> dict[str, Any]:
    """The same with `type`, as the engine sends a resource's inputs."""
    return {"type": pipeline_type, **fields(pipeline_type, day=day, **overrides)}


def args(pipeline_type: str, *, day: Optional[dt.date] = None, **overrides: Any) -> Any:
    """The input class of a Python program, built from the same values."""
    return getattr(pulumi_mixpanel, CLASS_NAMES[pipeline_type])(**fields(pipeline_type, day=day, **overrides))


def trial(**overrides: Any) -> dict[str, Any]:
    """The classic page's own trial: Mixpanel-hosted BigQuery, events and people."""
    values = {
        "type": "bigquery",
        "trial": True,
        "bq_share_with_group": ["bq-access-alias@somecompany.com"],
        **overrides,
    }
    return {key: value for key, value in values.items() if value is not None}


# Every name a project can hold: Mixpanel names one pipeline per type, data source, frequency
# and schema type, and a name is unique in a project.
_NAMES_PER_PROJECT = [
    (pipeline_type, frequency, variant)
    for pipeline_type in ("gcs-raw", "s3-raw", "azure-raw", "gcs-schema", "aws", "azure-blob", "bigquery", "snowflake")
    for frequency in ("daily", "hourly")
    for variant in (
        [{}]
        if pipeline_type.endswith("-raw")
        else [
            {"schema_type": "monoschema"},
            {"schema_type": "multischema"},
            {"data_source": "people", "schema_type": "monoschema"},
        ]
    )
]
MAX_PIPELINES_PER_PROJECT = len(_NAMES_PER_PROJECT)  # 36
_PREFIX_FIELDS = {
    "gcs-raw": "gcs_prefix",
    "gcs-schema": "gcs_prefix",
    "s3-raw": "s3_prefix",
    "aws": "s3_prefix",
    "azure-raw": "prefix",
    "azure-blob": "prefix",
    "bigquery": "bq_prefix",
    "snowflake": "snowflake_prefix",
}


def distinct(count: int, *, tag: str = "p", day: Optional[dt.date] = None) -> list[dict[str, Any]]:
    """`count` valid inputs whose pipelines all fit one project: distinct names and destinations."""
    assert count <= MAX_PIPELINES_PER_PROJECT, f"a project holds at most {MAX_PIPELINES_PER_PROJECT} pipelines"
    return [
        inputs(
            pipeline_type, day=day, frequency=frequency, **variant, **{_PREFIX_FIELDS[pipeline_type]: f"{tag}{index}"}
        )
        for index, (pipeline_type, frequency, variant) in enumerate(_NAMES_PER_PROJECT[:count])
    ]
