"""Mixpanel exports into your own Snowflake account (customer-hosted Snowflake).

Creates a database, a schema, a small auto-suspending warehouse, a role, a GCS storage
integration (Mixpanel stages the export files in Google Cloud Storage), and a password user
for Mixpanel with the grants it needs; then a Mixpanel `snowflake` pipeline wired to them.
The password comes from secret stack config and stays secret, in this stack's state (the
Snowflake user's and the pipeline's).

Mixpanel credentials are read by the provider from the `mixpanel:*` stack config (see README).
"""

from datetime import date, timedelta

import pulumi
import pulumi_snowflake as snowflake

from pulumi_mixpanel import MixpanelPipeline, SnowflakePipelineArgs

config = pulumi.Config()
snowflake_config = pulumi.Config("snowflake")
# The account identifier Mixpanel connects to (ORG-ACCOUNT); by default the one that the
# Snowflake provider itself is configured with.
account_name = config.get("snowflakeAccountName") or "{}-{}".format(
    snowflake_config.require("organizationName"), snowflake_config.require("accountName")
)
# The password Mixpanel's Snowflake user signs in with.
password = config.require_secret("mixpanelUserPassword")
# Where Mixpanel stages files for loading, e.g. gcs://<bucket>/; Mixpanel's Snowflake export
# docs give it.
staging_location = config.require("stagingLocation")
prefix = (config.get("namePrefix") or "MIXPANEL").upper()
# Mixpanel accepts a from_date at most six months back. It is fixed once the pipeline exists
# (ignore_changes below), so the default "yesterday" does not replace the pipeline tomorrow.
from_date = config.get("fromDate") or (date.today() - timedelta(days=1)).isoformat()

database = snowflake.Database("mixpanel", name=prefix, comment="Mixpanel export")
schema = snowflake.Schema("mixpanel-export", database=database.name, name="EXPORT")
warehouse = snowflake.Warehouse(
    "mixpanel-loader",
    name=f"{prefix}_LOADER",
    warehouse_size="XSMALL",
    auto_suspend=60,
    auto_resume="true",
    initially_suspended=True,
)
role = snowflake.AccountRole("mixpanel-export", name=f"{prefix}_EXPORT")
integration = snowflake.StorageIntegrationGcs(
    "mixpanel-staging",
    name=f"{prefix}_STAGING",
    enabled=True,
    storage_allowed_locations=[staging_location],
)
user = snowflake.LegacyServiceUser(
    "mixpanel-export",
    name=f"{prefix}_EXPORT",
    password=password,
    default_role=role.name,
    default_warehouse=warehouse.name,
    comment="Signs Mixpanel's export pipeline in",
)

grants = [
    snowflake.GrantAccountRole("mixpanel-export-user", role_name=role.name, user_name=user.name),
    snowflake.GrantPrivilegesToAccountRole(
        "mixpanel-warehouse-usage",
        account_role_name=role.name,
        privileges=["USAGE"],
        on_account_object=snowflake.GrantPrivilegesToAccountRoleOnAccountObjectArgs(
            object_type="WAREHOUSE", object_name=warehouse.name
        ),
    ),
    snowflake.GrantPrivilegesToAccountRole(
        "mixpanel-database-usage",
        account_role_name=role.name,
        privileges=["USAGE"],
        on_account_object=snowflake.GrantPrivilegesToAccountRoleOnAccountObjectArgs(
            object_type="DATABASE", object_name=database.name
        ),
    ),
    snowflake.GrantPrivilegesToAccountRole(
        "mixpanel-integration-usage",
        account_role_name=role.name,
        privileges=["USAGE"],
        on_account_object=snowflake.GrantPrivilegesToAccountRoleOnAccountObjectArgs(
            object_type="INTEGRATION", object_name=integration.name
        ),
    ),
    snowflake.GrantPrivilegesToAccountRole(
        "mixpanel-schema-writes",
        account_role_name=role.name,
        privileges=["USAGE", "CREATE TABLE", "CREATE VIEW", "CREATE STAGE"],
        on_schema=snowflake.GrantPrivilegesToAccountRoleOnSchemaArgs(schema_name=schema.fully_qualified_name),
    ),
]

pipeline = MixpanelPipeline(
    "events-to-snowflake",
    SnowflakePipelineArgs(
        from_date=from_date,
        frequency="daily",
        schema_type="monoschema",
        snowflake_account_name=account_name,
        snowflake_warehouse=warehouse.name,
        snowflake_storage_integration=integration.name,
        snowflake_user=user.name,
        snowflake_password=password,
        snowflake_role=role.name,
        snowflake_database=database.name,
        snowflake_schema=schema.name,
    ),
    # Created only once Mixpanel may sign in and write; from_date is kept as it was when created.
    opts=pulumi.ResourceOptions(depends_on=grants, ignore_changes=["from_date"]),
)

pulumi.export("database", database.name)
pulumi.export("schema", schema.fully_qualified_name)
pulumi.export("warehouse", warehouse.name)
# Grant this Google service account read access to the staging location (see README).
pulumi.export(
    "storage_integration_service_account",
    integration.describe_outputs.apply(lambda outputs: outputs[0].service_account if outputs else None),
)
pulumi.export("pipeline_names", pipeline.pipeline_names)
