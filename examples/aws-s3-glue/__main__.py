"""Mixpanel exports into Amazon S3 (with an AWS Glue schema) and a raw S3 export next to it.

Creates an encrypted, private S3 bucket, an IAM role that Mixpanel's export principal may
assume, the bucket policy and a Glue database, then two Mixpanel pipelines wired to them:
- `aws` (schematized, Glue tables kept up to date), daily, under the `schematized/` prefix;
- `s3-raw` (the unaltered JSON events), hourly, under the `raw/` prefix.
Mixpanel allows two recurring events pipelines per project only if their frequencies differ.

Mixpanel credentials are read by the provider from the `mixpanel:*` stack config (see README).
"""

from datetime import date, timedelta

import pulumi
import pulumi_aws as aws

from pulumi_mixpanel import AwsPipelineArgs, MixpanelPipeline, S3RawPipelineArgs

# What the export role may do in the bucket: granted by its own policy and by the bucket's.
EXPORT_WRITE_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"]

config = pulumi.Config()
# Who may assume the export role: Mixpanel gives you its export principal's ARN and the
# external id to expect when you set up an S3 export.
mixpanel_principal_arn = config.require("mixpanelPrincipalArn")
mixpanel_external_id = config.require("mixpanelExternalId")
glue_database_name = config.get("glueDatabaseName") or "mixpanel_export"
# Mixpanel accepts a from_date at most six months back. It is fixed once the pipeline exists
# (ignore_changes below), so the default "yesterday" does not replace the pipeline tomorrow.
from_date = config.get("fromDate") or (date.today() - timedelta(days=1)).isoformat()

bucket = aws.s3.Bucket("mixpanel-export")

aws.s3.BucketServerSideEncryptionConfiguration(
    "mixpanel-export",
    bucket=bucket.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256",
            ),
        )
    ],
)

public_access_block = aws.s3.BucketPublicAccessBlock(
    "mixpanel-export",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)

glue_database = aws.glue.CatalogDatabase(
    "mixpanel-export",
    name=glue_database_name,
    description="Tables of the Mixpanel export (kept up to date by Mixpanel)",
)

export_role = aws.iam.Role(
    "mixpanel-export",
    description="Assumed by Mixpanel to write exports to S3 and update the Glue catalog",
    assume_role_policy=pulumi.Output.json_dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": mixpanel_principal_arn},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": mixpanel_external_id}},
                }
            ],
        }
    ),
)


def glue_arns(database_arn: str) -> list[str]:
    """The catalog, the database and its tables, from arn:aws:glue:REGION:ACCOUNT:database/NAME."""
    catalog, _, name = database_arn.rpartition(":database/")
    return [f"{catalog}:catalog", database_arn, f"{catalog}:table/{name}/*"]


role_policy = aws.iam.RolePolicy(
    "mixpanel-export",
    role=export_role.id,
    policy=pulumi.Output.json_dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "WriteExports",
                    "Effect": "Allow",
                    "Action": EXPORT_WRITE_ACTIONS,
                    "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                },
                {
                    "Sid": "MaintainGlueTables",
                    "Effect": "Allow",
                    "Action": [
                        "glue:GetDatabase",
                        "glue:GetTable",
                        "glue:GetTables",
                        "glue:CreateTable",
                        "glue:UpdateTable",
                        "glue:DeleteTable",
                        "glue:GetPartition",
                        "glue:GetPartitions",
                        "glue:CreatePartition",
                        "glue:BatchCreatePartition",
                        "glue:UpdatePartition",
                    ],
                    "Resource": glue_database.arn.apply(glue_arns),
                },
            ],
        }
    ),
)

bucket_policy = aws.s3.BucketPolicy(
    "mixpanel-export",
    bucket=bucket.id,
    policy=pulumi.Output.json_dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "MixpanelExportRoleWrites",
                    "Effect": "Allow",
                    "Principal": {"AWS": export_role.arn},
                    "Action": EXPORT_WRITE_ACTIONS,
                    "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                },
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
            ],
        }
    ),
    # S3 refuses a bucket policy while the public access block is still being applied.
    opts=pulumi.ResourceOptions(depends_on=[public_access_block]),
)


def mixpanel_options() -> pulumi.ResourceOptions:
    # Created only once Mixpanel may write; from_date is kept as it was when created.
    return pulumi.ResourceOptions(depends_on=[role_policy, bucket_policy], ignore_changes=["from_date"])


schematized = MixpanelPipeline(
    "events-to-s3-glue",
    AwsPipelineArgs(
        from_date=from_date,
        frequency="daily",
        schema_type="monoschema",
        data_format="parquet",
        s3_bucket=bucket.bucket,
        s3_region=bucket.region,
        s3_prefix="schematized",
        s3_role=export_role.arn,
        s3_encryption="aes",
        use_glue=True,
        glue_database=glue_database.name,
        glue_role=export_role.arn,
    ),
    opts=mixpanel_options(),
)

raw = MixpanelPipeline(
    "raw-events-to-s3",
    S3RawPipelineArgs(
        from_date=from_date,
        frequency="hourly",
        s3_bucket=bucket.bucket,
        s3_region=bucket.region,
        s3_prefix="raw",
        s3_role=export_role.arn,
        s3_encryption="aes",
    ),
    opts=mixpanel_options(),
)

pulumi.export("bucket_name", bucket.bucket)
pulumi.export("export_role_arn", export_role.arn)
pulumi.export("glue_database_name", glue_database.name)
pulumi.export("schematized_pipeline_names", schematized.pipeline_names)
pulumi.export("raw_pipeline_names", raw.pipeline_names)
