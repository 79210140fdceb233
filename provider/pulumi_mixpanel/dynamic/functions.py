"""`get_pipelines()` and `get_pipeline_status(name)` for Python programs on the dynamic resource:
the same reads as the plugin's functions, with the stack's `mixpanel:*` settings (the
`MIXPANEL_*` environment filling the gaps). They run in the program, preview included."""

from __future__ import annotations

import pulumi

from pulumi_mixpanel.core.errors import SettingsError
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.lifecycle.queries import PipelineStatus, PipelineSummary, list_pipelines, pipeline_status
from pulumi_mixpanel.core.settings import SETTING_NAMES, ProviderSettings


def _lifecycle() -> PipelineLifecycle:
    values = {name: pulumi.runtime.get_config(f"mixpanel:{name}") for name in SETTING_NAMES}
    settings = ProviderSettings.from_sources(values)
    if settings.problems:
        raise SettingsError("the Mixpanel provider settings cannot work:", settings.problems)
    return PipelineLifecycle(settings, pool_size=2)


def get_pipelines() -> list[PipelineSummary]:
    """The project's pipelines, from Mixpanel's jobs listing, whether Pulumi manages them or not."""
    return list_pipelines(_lifecycle())


def get_pipeline_status(name: str) -> PipelineStatus:
    """Task counts by state, health and the recent tasks of the pipeline `name`."""
    return pipeline_status(_lifecycle(), name)


__all__ = ["PipelineStatus", "PipelineSummary", "get_pipeline_status", "get_pipelines"]
