"""Mixpanel exports into Azure Blob Storage as Parquet, one table folder per event.

Creates a resource group, a storage account (HTTPS and TLS 1.2 only, no public blobs) and a
blob container, gives your service principal "Storage Blob Data Contributor" on the
container, and a Mixpanel `azure-blob` pipeline (parquet, multischema) that authenticates as
that service principal. Its client secret comes from secret stack config and stays secret,
in this stack's state and in the pipeline's.

Mixpanel credentials are read by the provider from the `mixpanel:*` stack config (see README).
"""

from datetime import date, timedelta

import pulumi
import pulumi_azure_native as azure_native

from pulumi_mixpanel import AzureBlobPipelineArgs, MixpanelPipeline

# Built-in role "Storage Blob Data Contributor".
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"

config = pulumi.Config()
# The service principal Mixpanel signs in as (an app registration with a client secret).
client_id = config.require("servicePrincipalClientId")
client_secret = config.require_secret("servicePrincipalClientSecret")
tenant_id = config.require("servicePrincipalTenantId")
# The principal's object id (Enterprise applications > Object ID), for the role assignment.
principal_object_id = config.require("servicePrincipalObjectId")
# Mixpanel accepts a from_date at most six months back. It is fixed once the pipeline exists
# (ignore_changes below), so the default "yesterday" does not replace the pipeline tomorrow.
from_date = config.get("fromDate") or (date.today() - timedelta(days=1)).isoformat()

client_config = azure_native.authorization.get_client_config_output()

resource_group = azure_native.resources.ResourceGroup("mixpanel-export")

account = azure_native.storage.StorageAccount(
    "mpexport",
    resource_group_name=resource_group.name,
    kind=azure_native.storage.Kind.STORAGE_V2,
    sku=azure_native.storage.SkuArgs(name=azure_native.storage.SkuName.STANDARD_LRS),
    allow_blob_public_access=False,
    enable_https_traffic_only=True,
    minimum_tls_version=azure_native.storage.MinimumTlsVersion.TLS1_2,
)

container = azure_native.storage.BlobContainer(
    "mixpanel-export",
    resource_group_name=resource_group.name,
    account_name=account.name,
    public_access=azure_native.storage.PublicAccess.NONE,
)

blob_writer = azure_native.authorization.RoleAssignment(
    "mixpanel-blob-writer",
    scope=container.id,
    principal_id=principal_object_id,
    principal_type=azure_native.authorization.PrincipalType.SERVICE_PRINCIPAL,
    role_definition_id=client_config.subscription_id.apply(
        lambda subscription: (
            f"/subscriptions/{subscription}/providers/Microsoft.Authorization"
            f"/roleDefinitions/{STORAGE_BLOB_DATA_CONTRIBUTOR}"
        )
    ),
)

pipeline = MixpanelPipeline(
    "events-to-azure-blob",
    AzureBlobPipelineArgs(
        from_date=from_date,
        frequency="daily",
        data_format="parquet",
        schema_type="multischema",
        storage_account=account.name,
        container_name=container.name,
        prefix="mixpanel",
        client_id=client_id,
        client_secret=client_secret,
        tenant_id=tenant_id,
    ),
    # Created only once Mixpanel may write; from_date is kept as it was when created.
    opts=pulumi.ResourceOptions(depends_on=[blob_writer], ignore_changes=["from_date"]),
)

pulumi.export("storage_account", account.name)
pulumi.export("container", container.name)
pulumi.export("pipeline_names", pipeline.pipeline_names)
