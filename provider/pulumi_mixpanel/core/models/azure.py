"""Azure Blob Storage, written by a service principal: schematized (`azure-blob`) or raw (`azure-raw`)."""

from typing import Annotated, ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.models.base import PipelineArgs
from pulumi_mixpanel.core.models.fields import Text
from pulumi_mixpanel.core.models.kinds import FileFormatArgs, RawArgs
from pulumi_mixpanel.core.models.rules import FieldRule


class AzureFields(PipelineArgs):
    """The Azure destination and credentials, shared by `azure-blob` and `azure-raw`."""

    # The edit endpoint names the service principal's fields with an `azure_` prefix.

    storage_account: Annotated[Text, FieldRule(destination=True)] = Field(
        description="The Blob Storage account the data is exported to."
    )
    container_name: Annotated[Text, FieldRule(destination=True)] = Field(
        description="The Blob container, within that account, the data is exported to."
    )
    prefix: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None, description="A custom prefix for all the data exported to the container."
    )
    client_id: Annotated[Text, FieldRule(edit="azure_client_id")] = Field(
        description="`clientId` of the service principal's credentials."
    )
    client_secret: Annotated[Text, FieldRule(edit="azure_client_secret", secret=True)] = Field(
        description="`clientSecret` of the service principal's credentials. Secret: kept encrypted in state.",
    )
    tenant_id: Annotated[Text, FieldRule(edit="azure_tenant_id")] = Field(
        description="`tenantId` of the service principal's credentials: the Active Directory instance it lives in."
    )


class AzureBlobPipelineArgs(AzureFields, FileFormatArgs):
    """Export to Azure Blob Storage (schematized, JSON or parquet)."""

    TYPE: ClassVar[str] = "azure-blob"

    type: Annotated[Literal["azure-blob"], FieldRule(recoverable=True)] = "azure-blob"


class AzureRawPipelineArgs(AzureFields, RawArgs):
    """Raw (unaltered JSON) event export to Azure Blob Storage."""

    TYPE: ClassVar[str] = "azure-raw"

    type: Annotated[Literal["azure-raw"], FieldRule(recoverable=True)] = "azure-raw"
