"""Mixpanel data-export pipelines as Pulumi resources.

Public names are imported lazily so that `python -m pulumi_mixpanel.emulator` and the
Pulumi-free layers (`client`, `destinations`) start without importing the Pulumi SDK.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "MixpanelPipeline": "pulumi_mixpanel.resource",
    "BigQueryPipelineArgs": "pulumi_mixpanel.destinations",
    "SnowflakePipelineArgs": "pulumi_mixpanel.destinations",
    "AwsPipelineArgs": "pulumi_mixpanel.destinations",
    "AzureBlobPipelineArgs": "pulumi_mixpanel.destinations",
    "GcsSchemaPipelineArgs": "pulumi_mixpanel.destinations",
    "S3RawPipelineArgs": "pulumi_mixpanel.destinations",
    "GcsRawPipelineArgs": "pulumi_mixpanel.destinations",
    "AzureRawPipelineArgs": "pulumi_mixpanel.destinations",
    "PipelineArgs": "pulumi_mixpanel.destinations",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from pulumi_mixpanel.destinations import (  # noqa: F401
        AwsPipelineArgs,
        AzureBlobPipelineArgs,
        AzureRawPipelineArgs,
        BigQueryPipelineArgs,
        GcsRawPipelineArgs,
        GcsSchemaPipelineArgs,
        PipelineArgs,
        S3RawPipelineArgs,
        SnowflakePipelineArgs,
    )
    from pulumi_mixpanel.resource import MixpanelPipeline  # noqa: F401


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pulumi_mixpanel' has no attribute {name!r}")
    return getattr(import_module(module_name), name)
