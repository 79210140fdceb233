"""The input classes as a Python program uses them: the core's models themselves, whose invalid
inputs raise `InvalidPipelineInputs` here, a `pulumi.RunError` that the Pulumi CLI shows as one
message listing every problem, without a Python traceback."""

from __future__ import annotations

import pulumi

from pulumi_mixpanel.core.errors import PipelineInputError
from pulumi_mixpanel.core.models import (
    AwsPipelineArgs,
    AzureBlobPipelineArgs,
    AzureRawPipelineArgs,
    BigQueryPipelineArgs,
    GcsRawPipelineArgs,
    GcsSchemaPipelineArgs,
    S3RawPipelineArgs,
    SnowflakePipelineArgs,
    register_input_error,
)


class InvalidPipelineInputs(PipelineInputError, pulumi.RunError):
    """Invalid pipeline inputs in a Pulumi program; every problem is listed."""


register_input_error(InvalidPipelineInputs)

__all__ = [
    "AwsPipelineArgs",
    "AzureBlobPipelineArgs",
    "AzureRawPipelineArgs",
    "BigQueryPipelineArgs",
    "GcsRawPipelineArgs",
    "GcsSchemaPipelineArgs",
    "InvalidPipelineInputs",
    "S3RawPipelineArgs",
    "SnowflakePipelineArgs",
]
