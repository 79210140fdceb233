"""Google Cloud Storage: schematized (`gcs-schema`) or raw JSON (`gcs-raw`)."""

from typing import Annotated, ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.models.base import PipelineArgs
from pulumi_mixpanel.core.models.fields import GcsRegion, Text
from pulumi_mixpanel.core.models.kinds import FileFormatArgs, RawArgs
from pulumi_mixpanel.core.models.rules import FieldRule


class GcsFields(PipelineArgs):
    """The GCS destination, shared by `gcs-schema` and `gcs-raw`."""

    gcs_bucket: Annotated[Text, FieldRule(destination=True)] = Field(
        description="The GCS bucket the data is exported to."
    )
    gcs_region: GcsRegion = Field(description="The GCS region of the bucket, e.g. `us-central1`.")
    gcs_prefix: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None, description="The path prefix within the bucket."
    )


class GcsSchemaPipelineArgs(GcsFields, FileFormatArgs):
    """Export to Google Cloud Storage (schematized, JSON or parquet)."""

    TYPE: ClassVar[str] = "gcs-schema"

    type: Annotated[Literal["gcs-schema"], FieldRule(recoverable=True)] = "gcs-schema"


class GcsRawPipelineArgs(GcsFields, RawArgs):
    """Raw (unaltered JSON) event export to Google Cloud Storage."""

    TYPE: ClassVar[str] = "gcs-raw"

    type: Annotated[Literal["gcs-raw"], FieldRule(recoverable=True)] = "gcs-raw"
