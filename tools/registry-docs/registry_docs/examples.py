"""The docs' example programs: one input set per resource type, rendered into every language.

Property names are the schema's (camelCase); a `Secret` is read from the stack's secret config,
so no example holds a credential. Every value is realistic and every set passes the provider's
check as of EXAMPLE_DATE; tests/cli/test_docs_examples.py runs them against the emulator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# The examples are written as of this day (a from_date must be within six months of today).
EXAMPLE_DATE = "2026-12-01"
PROVIDER_TOKEN = "pulumi:providers:mixpanel"


@dataclass(frozen=True)
class Secret:
    """A value read with `config.requireSecret(key)` (YAML: a `secret: true` config key)."""

    key: str


@dataclass(frozen=True)
class Resource:
    token: str  # a schema resource token, or PROVIDER_TOKEN for an explicit provider
    name: str  # the logical name, kebab-case
    properties: dict[str, Any]
    provider: Optional[str] = None  # the name of an explicit provider resource of the program


@dataclass(frozen=True)
class Program:
    resources: tuple[Resource, ...]
    # (resource name, output property): exported as `<resource name in camelCase><Property>`.
    exports: tuple[tuple[str, str], ...] = field(default=())

    @property
    def explicit_providers(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.token == PROVIDER_TOKEN)

    @property
    def pipelines(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.token != PROVIDER_TOKEN)


def _one(token: str, name: str, **properties: Any) -> Program:
    return Program((Resource(f"mixpanel:index:{token}", name, properties),), ((name, "pipelineNames"),))


AZURE_CLIENT_ID = "5c2d9f1e-8b3a-4e67-a1d0-7f4b2c9e3a18"
AZURE_TENANT_ID = "9e8d7c6b-5a49-4382-b1f0-e3d2c1b0a987"

# One program per resource type, by the type's name (the reference page's name).
RESOURCE_EXAMPLES: dict[str, Program] = {
    "BigQueryPipeline": _one(
        "BigQueryPipeline",
        "events-to-bigquery",
        gcpProject="acme-analytics",
        bqDatasetName="mixpanel_export",
        bqRegion="EU",
        schemaType="multischema",
        fromDate=EXAMPLE_DATE,
        events=["Signup", "Purchase", "Subscription Renewed"],
    ),
    "SnowflakePipeline": _one(
        "SnowflakePipeline",
        "events-to-snowflake",
        snowflakeAccountName="acme-xy12345",
        snowflakeWarehouse="MIXPANEL_WH",
        snowflakeStorageIntegration="MIXPANEL_GCS_INTEGRATION",
        snowflakeUser="MIXPANEL_LOADER",
        snowflakePassword=Secret("snowflakePassword"),
        snowflakeRole="MIXPANEL_LOADER_ROLE",
        snowflakeDatabase="ANALYTICS",
        snowflakeSchema="MIXPANEL",
        fromDate=EXAMPLE_DATE,
    ),
    "AwsPipeline": _one(
        "AwsPipeline",
        "events-to-s3",
        s3Bucket="acme-mixpanel-export",
        s3Region="us-east-1",
        s3Role="arn:aws:iam::123456789012:role/mixpanel-export",
        s3Prefix="mixpanel",
        s3Encryption="kms",
        s3KmsKeyId="alias/mixpanel-export",
        dataFormat="parquet",
        useGlue=True,
        glueDatabase="mixpanel",
        glueRole="arn:aws:iam::123456789012:role/mixpanel-glue",
        fromDate=EXAMPLE_DATE,
    ),
    "AzureBlobPipeline": _one(
        "AzureBlobPipeline",
        "events-to-azure",
        storageAccount="acmeanalytics",
        containerName="mixpanel-export",
        prefix="events",
        clientId=AZURE_CLIENT_ID,
        clientSecret=Secret("azureClientSecret"),
        tenantId=AZURE_TENANT_ID,
        dataFormat="parquet",
        fromDate=EXAMPLE_DATE,
    ),
    "GcsSchemaPipeline": _one(
        "GcsSchemaPipeline",
        "events-to-gcs",
        gcsBucket="acme-mixpanel-export",
        gcsRegion="europe-west1",
        gcsPrefix="mixpanel",
        schemaType="multischema",
        dataFormat="parquet",
        fromDate=EXAMPLE_DATE,
        where='properties["plan"] == "pro"',
    ),
    "S3RawPipeline": _one(
        "S3RawPipeline",
        "raw-events-to-s3",
        s3Bucket="acme-mixpanel-raw",
        s3Region="us-west-2",
        s3Role="arn:aws:iam::123456789012:role/mixpanel-raw-export",
        s3Encryption="aes",
        fromDate=EXAMPLE_DATE,
        frequency="hourly",
    ),
    "GcsRawPipeline": _one(
        "GcsRawPipeline",
        "raw-events",
        gcsBucket="acme-mixpanel-raw",
        gcsRegion="us-central1",
        gcsPrefix="events",
        fromDate=EXAMPLE_DATE,
        frequency="hourly",
        events=["Signup", "Purchase"],
    ),
    "AzureRawPipeline": _one(
        "AzureRawPipeline",
        "raw-events-to-azure",
        storageAccount="acmeanalytics",
        containerName="mixpanel-raw",
        clientId=AZURE_CLIENT_ID,
        clientSecret=Secret("azureClientSecret"),
        tenantId=AZURE_TENANT_ID,
        fromDate=EXAMPLE_DATE,
    ),
}

# The overview page's example: the raw GCS export, as on its reference page (docs/_index.md
# describes it in words: keep them in step).
OVERVIEW_EXAMPLE = RESOURCE_EXAMPLES["GcsRawPipeline"]

# Two Mixpanel projects in one program (the Provider page and the configuration page): one
# with a service account, one in the EU with its project API secret.
PROVIDERS_EXAMPLE = Program(
    (
        Resource(
            PROVIDER_TOKEN,
            "us",
            {
                "serviceAccountUsername": "pipelines.2195193.mp-service-account",
                "serviceAccountSecret": Secret("usServiceAccountSecret"),
                "projectId": "2195193",
            },
        ),
        Resource(PROVIDER_TOKEN, "eu", {"region": "eu", "apiSecret": Secret("euApiSecret")}),
        Resource(
            "mixpanel:index:GcsRawPipeline",
            "us-raw-events",
            {"gcsBucket": "acme-us-mixpanel-raw", "gcsRegion": "us-central1", "fromDate": EXAMPLE_DATE},
            provider="us",
        ),
        Resource(
            "mixpanel:index:GcsRawPipeline",
            "eu-raw-events",
            {"gcsBucket": "acme-eu-mixpanel-raw", "gcsRegion": "europe-west1", "fromDate": EXAMPLE_DATE},
            provider="eu",
        ),
    ),
    (("us-raw-events", "pipelineNames"), ("eu-raw-events", "pipelineNames")),
)
