"""Google Cloud Storage: schematized (`gcs-schema`) or raw JSON (`gcs-raw`)."""

from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.models.base import FileFormatArgs, PipelineArgs, RawArgs
from pulumi_mixpanel.core.models.fields import GcsRegion, Text


class GcsFields(PipelineArgs):
    """The GCS destination, shared by `gcs-schema` and `gcs-raw`."""

    DESTINATION_FIELDS: ClassVar[tuple[str, ...]] = ("gcs_bucket", "gcs_prefix")

    gcs_bucket: Text = Field(description="The GCS bucket the data is exported to.")
    gcs_region: GcsRegion = Field(description="The GCS region of the bucket, e.g. `us-central1`.")
    gcs_prefix: Optional[Text] = Field(default=None, description="The path prefix within the bucket.")


class GcsSchemaPipelineArgs(GcsFields, FileFormatArgs):
    """Export to Google Cloud Storage (schematized, JSON or parquet)."""

    TYPE: ClassVar[str] = "gcs-schema"

    type: Literal["gcs-schema"] = "gcs-schema"


class GcsRawPipelineArgs(GcsFields, RawArgs):
    """Raw (unaltered JSON) event export to Google Cloud Storage."""

    TYPE: ClassVar[str] = "gcs-raw"

    type: Literal["gcs-raw"] = "gcs-raw"
