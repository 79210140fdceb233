"""Quickstart: the classic Data Pipelines page's examples as one Pulumi program.

It fits Mixpanel's project limits (2 recurring events pipelines of different frequencies, 1
non-recurring, people pipelines not counted), so `pulumi up` works against real Mixpanel as well
as against the emulator that `scripts/demo.sh` starts.

Every date comes from stack config (`quickstart:fromDate`, set once: `scripts/demo.sh` sets it
to a week ago), never from today's date: a window that moved with the calendar would replace
the pipelines, and lose their history, every day.
"""

import datetime as dt

import pulumi

from pulumi_mixpanel import (
    AwsPipelineArgs,
    AzureBlobPipelineArgs,
    BigQueryPipelineArgs,
    MixpanelPipeline,
    SnowflakePipelineArgs,
)

config = pulumi.Config("quickstart")
from_date = config.require("fromDate")
# The Azure export is a one-week backfill from that date.
to_date = (dt.date.fromisoformat(from_date) + dt.timedelta(days=6)).isoformat()

# 1. BigQuery trial, Mixpanel-hosted: exports events and people daily for 30 days. Mixpanel
#    never deletes a trial early, so `pulumi destroy` leaves it (retain_on_delete).
bigquery_trial = MixpanelPipeline(
    "bigquery-trial",
    BigQueryPipelineArgs(
        trial=True, bq_share_with_group=config.get("shareWithGroup") or "bq-access-alias@somecompany.com"
    ),
    opts=pulumi.ResourceOptions(retain_on_delete=True),
)

# 2. AWS S3 with a Glue schema, hourly (recurring events pipelines must differ in frequency).
aws = MixpanelPipeline(
    "aws-s3-glue",
    AwsPipelineArgs(
        s3_bucket=config.get("s3Bucket") or "example-s3-bucket",
        s3_region="us-east-1",
        s3_prefix="example_custom_prefix",
        s3_role="arn:aws:iam::123456789012:role/example-s3-role",
        use_glue=True,
        glue_database="example-glue-db",
        glue_role="arn:aws:iam::123456789012:role/example-glue-role",
        glue_table_prefix="example_table_prefix",
        frequency="hourly",
        from_date=from_date,
        events=config.get_object("events") or ["Sign Up", "Purchase"],
    ),
)

# 3. Azure Blob Storage, parquet and multischema, a bounded backfill (the non-recurring one).
azure = MixpanelPipeline(
    "azure-blob",
    AzureBlobPipelineArgs(
        storage_account="mystorageaccount",
        container_name="mixpanel-export",
        prefix="custom_prefix/for/data",
        data_format="parquet",
        schema_type="multischema",
        client_id="11111111-2222-3333-4444-555555555555",
        client_secret=config.get_secret("azureClientSecret") or pulumi.Output.secret("demo-client-secret"),
        tenant_id="66666666-7777-8888-9999-000000000000",
        from_date=from_date,
        to_date=to_date,
    ),
)

# 4. Snowflake, customer-hosted, people data (not counted against the events limits).
snowflake = MixpanelPipeline(
    "snowflake-people",
    SnowflakePipelineArgs(
        data_source="people",
        snowflake_account_name="acme-xy12345",
        snowflake_warehouse="MIXPANEL_WH",
        snowflake_storage_integration="MIXPANEL_INTEGRATION",
        snowflake_user="MIXPANEL",
        snowflake_password=config.get_secret("snowflakePassword") or pulumi.Output.secret("demo-snowflake-password"),
        snowflake_role="MIXPANEL_LOADER",
        snowflake_database="ANALYTICS",
        snowflake_schema="MIXPANEL",
        from_date=from_date,
        paused=config.get_bool("pauseSnowflake") or False,
    ),
)

pulumi.export("bigquery_trial_pipelines", bigquery_trial.pipeline_names)
pulumi.export("bigquery_dataset", bigquery_trial.bigquery_dataset_name)
pulumi.export("aws_pipelines", aws.pipeline_names)
pulumi.export("azure_pipelines", azure.pipeline_names)
pulumi.export("snowflake_pipelines", snowflake.pipeline_names)
