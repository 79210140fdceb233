"""Pipeline inputs: one pydantic model per destination type, with Mixpanel's rules.

This package knows nothing of Pulumi. `validate_pipeline` is how the front ends read the
inputs the engine sends: the class is chosen by `type`, and every problem comes back at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from pulumi_mixpanel.core.errors import PipelineInputError, Problem
from pulumi_mixpanel.core.models.azure import AzureBlobPipelineArgs, AzureRawPipelineArgs
from pulumi_mixpanel.core.models.base import PipelineArgs, register_input_error, sent_at_create
from pulumi_mixpanel.core.models.bigquery import BigQueryPipelineArgs
from pulumi_mixpanel.core.models.fields import NOT_KNOWN, is_deferred, is_known, register_deferred_types
from pulumi_mixpanel.core.models.gcs import GcsRawPipelineArgs, GcsSchemaPipelineArgs
from pulumi_mixpanel.core.models.rules import FieldRule, edit_parameters, fields_with, rule_of
from pulumi_mixpanel.core.models.s3 import AwsPipelineArgs, S3RawPipelineArgs
from pulumi_mixpanel.core.models.snowflake import SnowflakePipelineArgs

PIPELINE_CLASSES: tuple[type[PipelineArgs], ...] = (
    BigQueryPipelineArgs, SnowflakePipelineArgs, AwsPipelineArgs, AzureBlobPipelineArgs,
    GcsSchemaPipelineArgs, S3RawPipelineArgs, GcsRawPipelineArgs, AzureRawPipelineArgs,
)  # fmt: skip
CLASS_BY_TYPE: dict[str, type[PipelineArgs]] = {cls.TYPE: cls for cls in PIPELINE_CLASSES}
ALL_SECRET_FIELDS = frozenset(field for cls in PIPELINE_CLASSES for field in fields_with(cls, "secret"))
# The edit endpoint's names for secret fields (azure_client_secret).
SECRET_EDIT_PARAMETERS = frozenset(
    rule.edit for cls in PIPELINE_CLASSES for field in fields_with(cls, "secret") if (rule := rule_of(cls, field)).edit
)

__all__ = [
    "ALL_SECRET_FIELDS", "CLASS_BY_TYPE", "NOT_KNOWN", "PIPELINE_CLASSES", "SECRET_EDIT_PARAMETERS",
    "AwsPipelineArgs", "AzureBlobPipelineArgs", "AzureRawPipelineArgs", "BigQueryPipelineArgs", "FieldRule",
    "GcsRawPipelineArgs", "GcsSchemaPipelineArgs", "PipelineArgs", "S3RawPipelineArgs", "SnowflakePipelineArgs",
    "build_validators", "class_for", "edit_parameters", "fields_with", "input_fields", "is_deferred", "is_known",
    "register_deferred_types", "register_input_error", "rule_of", "sent_at_create", "validate_pipeline",
]  # fmt: skip


def build_validators() -> None:
    """Build every class's validator now (each is otherwise built at its first use)."""
    for cls in PIPELINE_CLASSES:
        cls.model_rebuild()


def class_for(pipeline_type: Any) -> Optional[type[PipelineArgs]]:
    return CLASS_BY_TYPE.get(pipeline_type) if isinstance(pipeline_type, str) else None


def input_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The values that are fields of the class their `type` names (outputs and extras dropped)."""
    cls = class_for(values.get("type"))
    if cls is None:
        return dict(values)
    return {key: value for key, value in values.items() if key in cls.model_fields}


def validate_pipeline(
    values: dict[str, Any], *, today: Optional[dt.date], check_from_date_window: bool = True
) -> tuple[Optional[PipelineArgs], list[Problem]]:
    """Field types and every cross-field rule, all problems at once: (model, []) or (None, problems)."""
    pipeline_type = values.get("type")
    cls = class_for(pipeline_type)
    if cls is None:
        if is_deferred(pipeline_type):
            return None, []
        shown = (
            repr(pipeline_type)
            if isinstance(pipeline_type, (str, int, float, bool, type(None)))
            else f"a {type(pipeline_type).__name__}"
        )
        return None, [Problem("type", f"{shown} is not one of {', '.join(CLASS_BY_TYPE)}")]
    context = {"today": today, "check_from_date_window": check_from_date_window}
    try:
        return cls.model_validate(values, context=context), []
    except PipelineInputError as error:
        return None, error.problems
