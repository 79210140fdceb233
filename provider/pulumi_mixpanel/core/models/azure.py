"""Azure Blob Storage, written by a service principal: schematized (`azure-blob`) or raw (`azure-raw`)."""

from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.models.base import FileFormatArgs, PipelineArgs, RawArgs
from pulumi_mixpanel.core.models.fields import Text

# The edit endpoint names the service principal's fields with an `azure_` prefix.
AZURE_EDITABLE = {
    "client_id": "azure_client_id",
    "client_secret": "azure_client_secret",
    "tenant_id": "azure_tenant_id",
}


class AzureFields(PipelineArgs):
    """The Azure destination and credentials, shared by `azure-blob` and `azure-raw`."""

    EDITABLE: ClassVar[dict[str, str]] = {**PipelineArgs.EDITABLE, **AZURE_EDITABLE}
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ("client_secret",)
    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("storage_account", "container_name", "prefix")

    storage_account: Text = Field(description="The Blob Storage account the data is exported to.")
    container_name: Text = Field(description="The Blob container, within that account, the data is exported to.")
    prefix: Optional[Text] = Field(
        default=None, description="A custom prefix for all the data exported to the container."
    )
    client_id: Text = Field(description="`clientId` of the service principal's credentials.")
    client_secret: Text = Field(
        repr=False,
        description="`clientSecret` of the service principal's credentials. Secret: kept encrypted in state.",
    )
    tenant_id: Text = Field(
        description="`tenantId` of the service principal's credentials: the Active Directory instance it lives in."
    )


class AzureBlobPipelineArgs(AzureFields, FileFormatArgs):
    """Export to Azure Blob Storage (schematized, JSON or parquet)."""

    TYPE: ClassVar[str] = "azure-blob"

    type: Literal["azure-blob"] = "azure-blob"


class AzureRawPipelineArgs(AzureFields, RawArgs):
    """Raw (unaltered JSON) event export to Azure Blob Storage."""

    TYPE: ClassVar[str] = "azure-raw"

    type: Literal["azure-raw"] = "azure-raw"
