"""Mixpanel data-export pipelines as Pulumi resources.

Layers: `core` (models, names, change planning, settings, the lifecycle rules and the HTTP
client; no Pulumi), `dynamic` (`MixpanelPipeline`, the Python front end), `plugin` (the
`mixpanel` provider plugin for every Pulumi language) and `emulator` (a local Data Pipelines
API, an optional extra). Public names are imported lazily, so the plugin and the emulator
start without importing what they do not use.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "MixpanelPipeline": "pulumi_mixpanel.dynamic.resource",
    "BigQueryPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "SnowflakePipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "AwsPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "AzureBlobPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "GcsSchemaPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "S3RawPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "GcsRawPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "AzureRawPipelineArgs": "pulumi_mixpanel.dynamic.inputs",
    "InvalidPipelineInputs": "pulumi_mixpanel.dynamic.inputs",
    "PipelineArgs": "pulumi_mixpanel.core.models",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from pulumi_mixpanel.core.models import PipelineArgs
    from pulumi_mixpanel.dynamic.inputs import (
        AwsPipelineArgs,
        AzureBlobPipelineArgs,
        AzureRawPipelineArgs,
        BigQueryPipelineArgs,
        GcsRawPipelineArgs,
        GcsSchemaPipelineArgs,
        InvalidPipelineInputs,
        S3RawPipelineArgs,
        SnowflakePipelineArgs,
    )
    from pulumi_mixpanel.dynamic.resource import MixpanelPipeline


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pulumi_mixpanel' has no attribute {name!r}")
    return getattr(import_module(module_name), name)
