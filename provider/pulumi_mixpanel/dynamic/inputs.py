"""The input classes as a Python program uses them.

They are the core's models; only their error differs: invalid inputs raise a `pulumi.RunError`,
which the Pulumi CLI shows as one message listing every problem, without a Python traceback.
"""

from __future__ import annotations

from typing import ClassVar

import pulumi

from pulumi_mixpanel.core import models
from pulumi_mixpanel.core.errors import PipelineInputError


class InvalidPipelineInputs(PipelineInputError, pulumi.RunError):
    """Invalid pipeline inputs in a Pulumi program; every problem is listed."""


class BigQueryPipelineArgs(models.BigQueryPipelineArgs):
    __doc__ = models.BigQueryPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class SnowflakePipelineArgs(models.SnowflakePipelineArgs):
    __doc__ = models.SnowflakePipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class AwsPipelineArgs(models.AwsPipelineArgs):
    __doc__ = models.AwsPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class AzureBlobPipelineArgs(models.AzureBlobPipelineArgs):
    __doc__ = models.AzureBlobPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class GcsSchemaPipelineArgs(models.GcsSchemaPipelineArgs):
    __doc__ = models.GcsSchemaPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class S3RawPipelineArgs(models.S3RawPipelineArgs):
    __doc__ = models.S3RawPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class GcsRawPipelineArgs(models.GcsRawPipelineArgs):
    __doc__ = models.GcsRawPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs


class AzureRawPipelineArgs(models.AzureRawPipelineArgs):
    __doc__ = models.AzureRawPipelineArgs.__doc__
    INPUT_ERROR: ClassVar[type[PipelineInputError]] = InvalidPipelineInputs
