"""Mixpanel data-export pipelines as Pulumi resources.

Layers: `core` (models, names, change planning, settings, the lifecycle rules and the HTTP
client; no Pulumi), `dynamic` (`MixpanelPipeline`, the Python front end), `plugin` (the
`mixpanel` provider plugin for every Pulumi language) and `emulator` (a local Data Pipelines
API, an optional extra). Public names are imported lazily, so the plugin and the emulator
start without importing what they do not use.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

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
    "get_pipelines": "pulumi_mixpanel.dynamic.functions",
    "get_pipeline_status": "pulumi_mixpanel.dynamic.functions",
    "PipelineSummary": "pulumi_mixpanel.dynamic.functions",
    "PipelineStatus": "pulumi_mixpanel.dynamic.functions",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    # `X as X`: an explicit re-export, which strict type checkers (mypy --strict) require.
    from pulumi_mixpanel.core.models import PipelineArgs as PipelineArgs
    from pulumi_mixpanel.dynamic.functions import PipelineStatus as PipelineStatus
    from pulumi_mixpanel.dynamic.functions import PipelineSummary as PipelineSummary
    from pulumi_mixpanel.dynamic.functions import get_pipeline_status as get_pipeline_status
    from pulumi_mixpanel.dynamic.functions import get_pipelines as get_pipelines
    from pulumi_mixpanel.dynamic.inputs import AwsPipelineArgs as AwsPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import AzureBlobPipelineArgs as AzureBlobPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import AzureRawPipelineArgs as AzureRawPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import BigQueryPipelineArgs as BigQueryPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import GcsRawPipelineArgs as GcsRawPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import GcsSchemaPipelineArgs as GcsSchemaPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import InvalidPipelineInputs as InvalidPipelineInputs
    from pulumi_mixpanel.dynamic.inputs import S3RawPipelineArgs as S3RawPipelineArgs
    from pulumi_mixpanel.dynamic.inputs import SnowflakePipelineArgs as SnowflakePipelineArgs
    from pulumi_mixpanel.dynamic.resource import MixpanelPipeline as MixpanelPipeline


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pulumi_mixpanel' has no attribute {name!r}")
    return getattr(import_module(module_name), name)
