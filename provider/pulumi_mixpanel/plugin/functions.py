"""The plugin's functions (invokes), on plain values: `getPipelines` and `getPipelineStatus`, read
with the provider's own settings (so an explicit provider reads its own project)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from pulumi_mixpanel.core.errors import PipelineInputError, Problem
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.lifecycle.queries import list_pipelines, pipeline_status
from pulumi_mixpanel.plugin.schema import GET_PIPELINE_STATUS, GET_PIPELINES, camel


class Functions:
    def __init__(self, lifecycle: Callable[[], PipelineLifecycle]) -> None:
        self._lifecycle = lifecycle

    async def invoke(self, token: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """The function's result as plain values, by the schema's names."""
        if token == GET_PIPELINES:
            pipelines = await asyncio.to_thread(list_pipelines, self._lifecycle())
            return {"pipelines": [_named(dataclasses.asdict(pipeline)) for pipeline in pipelines]}
        if token == GET_PIPELINE_STATUS:
            name = arguments.get("name")
            if not isinstance(name, str) or not name.strip():
                raise PipelineInputError([Problem("name", "is required: the name of a pipeline of the project")])
            status = await asyncio.to_thread(pipeline_status, self._lifecycle(), name)
            return _named(
                {
                    "name": status.name,
                    "counts": status.counts,  # keyed by task state, as Mixpanel names them
                    **status.health.values(),
                    "tasks": [_named(dataclasses.asdict(task)) for task in status.tasks],
                }
            )
        raise PipelineInputError([Problem("token", f"the mixpanel provider has no function {token!r}")])


def _named(values: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys in the schema's names; absent values left out."""
    return {camel(key): value for key, value in values.items() if value is not None}


__all__ = ["Functions"]
