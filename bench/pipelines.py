"""The pipelines the benchmarks declare: every destination type in turn, each with its own
destination (bucket, container, dataset, database), so that the emulator, with its project
limits relaxed, accepts any number of them.

Depends only on pulumi_mixpanel, so a Pulumi program (the CLI preview) can import it too.
"""

from __future__ import annotations

import datetime as dt

import pulumi_mixpanel as pm

TYPES = ("s3-raw", "gcs-raw", "aws", "gcs-schema", "azure-raw", "azure-blob", "bigquery", "snowflake")


def recent_date() -> str:
    return (dt.date.today() - dt.timedelta(days=7)).isoformat()


def pipeline_type(index: int) -> str:
    return TYPES[index % len(TYPES)]


def pipeline_args(index: int, *, from_date: str | None = None):
    """The input object of the index-th benchmark pipeline."""
    when = from_date or recent_date()
    n = index
    kind = pipeline_type(index)
    if kind == "s3-raw":
        return pm.S3RawPipelineArgs(s3_bucket=f"bench-raw-{n}", s3_region="us-west-2",
                                    s3_role="arn:aws:iam::1:role/w", from_date=when)
    if kind == "gcs-raw":
        return pm.GcsRawPipelineArgs(gcs_bucket=f"bench-raw-{n}", gcs_region="europe-west1", from_date=when)
    if kind == "aws":
        return pm.AwsPipelineArgs(s3_bucket=f"bench-export-{n}", s3_region="us-east-1",
                                  s3_role="arn:aws:iam::1:role/w", from_date=when)
    if kind == "gcs-schema":
        return pm.GcsSchemaPipelineArgs(gcs_bucket=f"bench-export-{n}", gcs_region="us-central1", from_date=when)
    if kind == "azure-raw":
        return pm.AzureRawPipelineArgs(storage_account="bench", container_name=f"raw-{n}", client_id="cid",
                                       client_secret="BENCH-AZURE-SECRET", tenant_id="tid", from_date=when)
    if kind == "azure-blob":
        return pm.AzureBlobPipelineArgs(storage_account="bench", container_name=f"export-{n}", client_id="cid",
                                        client_secret="BENCH-AZURE-SECRET", tenant_id="tid", from_date=when)
    if kind == "bigquery":
        return pm.BigQueryPipelineArgs(gcp_project="bench", bq_dataset_name=f"mixpanel_{n}", from_date=when)
    if kind == "snowflake":
        return pm.SnowflakePipelineArgs(
            snowflake_account_name="bench", snowflake_warehouse="wh", snowflake_storage_integration="si",
            snowflake_user="mixpanel", snowflake_password="BENCH-SNOWFLAKE-PASSWORD", snowflake_role="loader",
            snowflake_database=f"analytics_{n}", snowflake_schema="mixpanel", from_date=when)
    raise AssertionError(kind)


def resource_name(index: int) -> str:
    return f"pipeline-{index:04d}"
