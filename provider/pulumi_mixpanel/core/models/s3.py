"""Amazon S3: schematized with an optional AWS Glue schema (`aws`), or raw JSON (`s3-raw`)."""

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, Optional

from pydantic import Field

from pulumi_mixpanel.core.errors import Problem
from pulumi_mixpanel.core.models.base import PipelineArgs
from pulumi_mixpanel.core.models.fields import AwsRegion, Flag, S3Encryption, S3RawRegion, Text, is_deferred
from pulumi_mixpanel.core.models.kinds import FileFormatArgs, RawArgs
from pulumi_mixpanel.core.models.rules import FieldRule


class S3Fields(PipelineArgs):
    """The S3 destination, shared by `aws` and `s3-raw`."""

    s3_bucket: Annotated[Text, FieldRule(destination=True)] = Field(
        description="The S3 bucket the data is exported to."
    )
    s3_role: Optional[Text] = Field(
        default=None,
        description="The AWS role Mixpanel assumes to write to S3, "
        "e.g. `arn:aws:iam::<account-id>:role/example-s3-role`. "
        "Required by the current API, optional in the classic one.",
    )
    s3_prefix: Annotated[Optional[Text], FieldRule(destination=True)] = Field(
        default=None, description="The path prefix for the export, e.g. `mixpanel/`."
    )
    s3_encryption: Optional[S3Encryption] = Field(
        default=None, description="At-rest encryption of the bucket: `none` (default), `aes` or `kms`."
    )
    s3_kms_key_id: Optional[Text] = Field(
        default=None, description="With `s3_encryption` `kms`: the id of the customer key to use."
    )

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        if self.s3_role is None and self.resolved_api_mode() == "current":
            found.append(
                Problem("s3_role", "is required by the current API (it is optional only with api_mode='classic')")
            )
        if self.s3_kms_key_id is not None and self.s3_encryption != "kms" and not is_deferred(self.s3_encryption):
            found.append(Problem("s3_kms_key_id", "is used only with s3_encryption 'kms'"))
        return found

    def _type_defaults(self) -> dict[str, Any]:
        return {**super()._type_defaults(), "s3_encryption": "none"}


class AwsPipelineArgs(S3Fields, FileFormatArgs):
    """Export to Amazon S3 (schematized, JSON or parquet), with an optional AWS Glue schema."""

    TYPE: ClassVar[str] = "aws"

    type: Annotated[Literal["aws"], FieldRule(recoverable=True)] = "aws"
    s3_region: AwsRegion = Field(description="The AWS region of the bucket, e.g. `us-east-1`.")
    use_glue: Optional[Flag] = Field(
        default=None,
        description="Also export the schema to AWS Glue (default false), to query with Athena or Redshift Spectrum.",
    )
    glue_database: Annotated[Optional[Text], FieldRule(edit="glue_database")] = Field(
        default=None, description="The Glue database the schema is exported to. Required when `use_glue` is true."
    )
    glue_role: Annotated[Optional[Text], FieldRule(edit="glue_role")] = Field(
        default=None,
        description="The role Mixpanel assumes to update Glue, "
        "e.g. `arn:aws:iam::<account-id>:role/example-glue-role`. "
        "Required when `use_glue` is true.",
    )
    glue_table_prefix: Annotated[Optional[Text], FieldRule(edit="glue_table_prefix")] = Field(
        default=None, description="A prefix for the names of the Glue tables."
    )

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        for name in ("glue_database", "glue_role"):
            if self.use_glue is True and getattr(self, name) is None:
                found.append(Problem(name, "is required when use_glue is true"))
        if self.use_glue is not True and not is_deferred(self.use_glue):
            for name in ("glue_database", "glue_role", "glue_table_prefix"):
                if getattr(self, name) is not None:
                    found.append(Problem(name, "is used only with use_glue=true"))
        return found

    def _type_defaults(self) -> dict[str, Any]:
        return {**super()._type_defaults(), "use_glue": False}


class S3RawPipelineArgs(S3Fields, RawArgs):
    """Raw (unaltered JSON) event export to Amazon S3."""

    TYPE: ClassVar[str] = "s3-raw"

    type: Annotated[Literal["s3-raw"], FieldRule(recoverable=True)] = "s3-raw"
    s3_region: S3RawRegion = Field(description="The AWS region of the bucket, e.g. `us-east-1` (also `me-south-1`).")
