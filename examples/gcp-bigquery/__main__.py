"""Mixpanel exports into your own BigQuery dataset, and raw events into a GCS bucket.

Creates a BigQuery dataset that Mixpanel's export service account may write to (dataset
editor, and BigQuery job user on the project so that it can load), a private GCS bucket it
may write objects to, and two Mixpanel pipelines wired to them:
- `bigquery` (customer-hosted, schematized), daily;
- `gcs-raw` (the unaltered JSON events), hourly.
Mixpanel allows two recurring events pipelines per project only if their frequencies differ.

Mixpanel credentials are read by the provider from the `mixpanel:*` stack config (see README).
"""

import re
from datetime import date, timedelta

import pulumi
import pulumi_gcp as gcp

from pulumi_mixpanel import BigQueryPipelineArgs, GcsRawPipelineArgs, MixpanelPipeline

config = pulumi.Config()
# The service account Mixpanel exports as; Mixpanel's BigQuery/GCS export docs name it.
mixpanel_member = f"serviceAccount:{config.require('mixpanelServiceAccount')}"
dataset_id = config.get("datasetId") or "mixpanel_export"
dataset_location = config.get("datasetLocation") or "US"
bucket_location = config.get("bucketLocation") or "us-central1"
# Mixpanel accepts a from_date at most six months back. It is fixed once the pipeline exists
# (ignore_changes below), so the default "yesterday" does not replace the pipeline tomorrow.
from_date = config.get("fromDate") or (date.today() - timedelta(days=1)).isoformat()


def mixpanel_bq_region(location: str) -> str:
    """A BigQuery location as Mixpanel spells it: "US" -> "US", "us-central1" -> "US_CENTRAL_1"."""
    region = re.sub(r"(\D)(\d+)$", r"\1_\2", location.upper().replace("-", "_"))
    return region.replace("NORTHAMERICA", "NORTH_AMERICA").replace("SOUTHAMERICA", "SOUTH_AMERICA")


dataset = gcp.bigquery.Dataset(
    "mixpanel-export",
    dataset_id=dataset_id,
    location=dataset_location,
    description="Mixpanel export (tables maintained by Mixpanel)",
)

dataset_editor = gcp.bigquery.DatasetIamMember(
    "mixpanel-dataset-editor",
    project=dataset.project,
    dataset_id=dataset.dataset_id,
    role="roles/bigquery.dataEditor",
    member=mixpanel_member,
)

job_user = gcp.projects.IAMMember(
    "mixpanel-bigquery-job-user",
    project=dataset.project,
    role="roles/bigquery.jobUser",
    member=mixpanel_member,
)

bucket = gcp.storage.Bucket(
    "mixpanel-raw-export",
    location=bucket_location.upper(),
    uniform_bucket_level_access=True,
    public_access_prevention="enforced",
)

bucket_writer = gcp.storage.BucketIAMMember(
    "mixpanel-bucket-writer",
    bucket=bucket.name,
    role="roles/storage.objectAdmin",
    member=mixpanel_member,
)

bigquery = MixpanelPipeline(
    "events-to-bigquery",
    BigQueryPipelineArgs(
        from_date=from_date,
        frequency="daily",
        schema_type="monoschema",
        gcp_project=dataset.project,
        bq_dataset_name=dataset.dataset_id,
        bq_region=dataset.location.apply(mixpanel_bq_region),
    ),
    # Created only once Mixpanel may write; from_date is kept as it was when created.
    opts=pulumi.ResourceOptions(depends_on=[dataset_editor, job_user], ignore_changes=["from_date"]),
)

raw = MixpanelPipeline(
    "raw-events-to-gcs",
    GcsRawPipelineArgs(
        from_date=from_date,
        frequency="hourly",
        gcs_bucket=bucket.name,
        gcs_region=bucket.location.apply(str.lower),
        gcs_prefix="raw",
    ),
    opts=pulumi.ResourceOptions(depends_on=[bucket_writer], ignore_changes=["from_date"]),
)

pulumi.export("dataset", pulumi.Output.concat(dataset.project, ":", dataset.dataset_id))
pulumi.export("bucket_url", bucket.url)
pulumi.export("bigquery_pipeline_names", bigquery.pipeline_names)
pulumi.export("raw_pipeline_names", raw.pipeline_names)
