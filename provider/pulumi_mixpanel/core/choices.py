"""The API's enumerations, as Mixpanel documents them.

Values come from Mixpanel's OpenAPI description (`data-pipelines.openapi.yaml`) and, for the
classic-only generations, from the classic "Data Pipelines API" page. A test compares every
table here with both documents, so a change on Mixpanel's side shows up as one failing test.
"""

from __future__ import annotations

SCHEMATIZED_TYPES = ("bigquery", "snowflake", "aws", "azure-blob", "gcs-schema")
RAW_TYPES = ("gcs-raw", "s3-raw", "azure-raw")
PIPELINE_TYPES = RAW_TYPES + SCHEMATIZED_TYPES

DATA_SOURCES = ("events", "people")
FREQUENCIES = ("daily", "hourly")
SCHEMA_TYPES = ("monoschema", "multischema")
S3_ENCRYPTIONS = ("none", "aes", "kms")
# `parquet` only where the OpenAPI lists it; raw types are JSON only. The classic page lists
# data_format (json) as a common parameter, so bigquery and snowflake take `json` there.
FILE_FORMATS = ("json", "parquet")
PARQUET_TYPES = ("aws", "azure-blob", "gcs-schema")

AWS_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1", "ca-central-1",
    "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1",
)  # fmt: skip
# The OpenAPI lists me-south-1 for raw S3 exports only.
S3_RAW_REGIONS = AWS_REGIONS + ("me-south-1",)
GCS_REGIONS = (
    "northamerica-northeast1", "us-central1", "us-east1", "us-east4", "us-west1", "us-west2",
    "southamerica-east1", "europe-north1", "europe-west1", "europe-west2", "europe-west3",
    "europe-west4", "europe-west6", "asia-east1", "asia-east2", "asia-northeast1",
    "asia-northeast2", "asia-northeast3", "asia-south1", "asia-southeast1", "australia-southeast1",
)  # fmt: skip
BIGQUERY_REGIONS = (
    "US", "US_CENTRAL_1", "US_EAST_1", "US_WEST_1", "US_WEST_2", "US_EAST_4",
    "NORTH_AMERICA_NORTHEAST_1", "SOUTH_AMERICA_EAST_1", "EU", "EUROPE_NORTH_1", "EUROPE_WEST_2",
    "EUROPE_WEST_3", "EUROPE_WEST_4", "EUROPE_WEST_6", "ASIA_SOUTH_1", "ASIA_EAST_1", "ASIA_EAST_2",
    "ASIA_NORTHEAST_1", "ASIA_NORTHEAST_2", "ASIA_NORTHEAST_3", "ASIA_SOUTHEAST_1",
    "ASIA_SOUTHEAST_2", "AUSTRALIA_SOUTHEAST_1",
)  # fmt: skip
# The classic page: "Allowed choices are US, EU and ASIA_NORTHEAST_1" (Mixpanel-hosted datasets).
CLASSIC_BIGQUERY_REGIONS = ("US", "EU", "ASIA_NORTHEAST_1")

API_MODES = ("current", "classic")
