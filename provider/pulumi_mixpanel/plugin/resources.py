"""The plugin's resource operations, handed to the core's `PipelineLifecycle` on plain values (the
API's snake_case names; `wire.py` turns the protocol into these and back).

Check and Diff make no API call and run on the server's event loop. Every operation that calls
Mixpanel runs in a worker thread of its own (the pool grows with demand, far beyond the engine's
default parallelism), so concurrent operations never queue behind a small fixed pool.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional, TypeVar

from pulumi_mixpanel.core.changes import ChangePlan
from pulumi_mixpanel.core.lifecycle import CheckOutcome, PipelineLifecycle
from pulumi_mixpanel.core.state import PipelineState

T = TypeVar("T")
# Worker threads for API calls: enough that the engine's parallelism, not the pool, bounds
# how many operations run at once.
MAX_WORKER_THREADS = 256


class PipelineResources:
    def __init__(self, lifecycle: Callable[[], PipelineLifecycle]) -> None:
        self._lifecycle = lifecycle
        self._executor = ThreadPoolExecutor(max_workers=MAX_WORKER_THREADS, thread_name_prefix="mixpanel-api")

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(function, *args))

    def check(self, pipeline_type: str, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        return self._lifecycle().check(_typed(olds, pipeline_type) if olds else {}, _typed(news, pipeline_type))

    def diff(
        self,
        pipeline_type: str,
        resource_id: str,
        state: dict[str, Any],
        news: dict[str, Any],
        old_inputs: Optional[dict[str, Any]],
    ) -> ChangePlan:
        return self._lifecycle().diff(
            _state(state, pipeline_type, resource_id),
            _typed(news, pipeline_type),
            _typed(old_inputs, pipeline_type) if old_inputs else None,
        )

    async def create(self, pipeline_type: str, inputs: dict[str, Any]) -> PipelineState:
        return await self._in_thread(self._lifecycle().create, _typed(inputs, pipeline_type))

    async def read(self, pipeline_type: str, resource_id: str, state: dict[str, Any]) -> Optional[PipelineState]:
        return await self._in_thread(self._lifecycle().read, resource_id, _state(state, pipeline_type, resource_id))

    def health_warning(self, state: PipelineState) -> Optional[str]:
        return self._lifecycle().health_warning(state)

    async def import_(self, pipeline_type: str, resource_id: str) -> tuple[dict[str, Any], PipelineState]:
        """`pulumi import`: nothing but the id is known."""
        return await self._in_thread(self._lifecycle().import_pipelines, resource_id, pipeline_type)

    async def update(
        self,
        pipeline_type: str,
        resource_id: str,
        state: dict[str, Any],
        news: dict[str, Any],
        old_inputs: Optional[dict[str, Any]],
    ) -> PipelineState:
        return await self._in_thread(
            self._lifecycle().update,
            resource_id,
            _state(state, pipeline_type, resource_id),
            _typed(news, pipeline_type),
            _typed(old_inputs, pipeline_type) if old_inputs else None,
        )

    async def delete(self, pipeline_type: str, resource_id: str, state: dict[str, Any]) -> None:
        await self._in_thread(self._lifecycle().delete, resource_id, _state(state, pipeline_type, resource_id))


def _typed(values: dict[str, Any], pipeline_type: str) -> dict[str, Any]:
    # The resource token says the type; it is never a property.
    return {**values, "type": pipeline_type}


def _state(values: dict[str, Any], pipeline_type: str, resource_id: str) -> PipelineState:
    return PipelineState.from_values(_typed(values, pipeline_type), resource_id)


__all__ = ["MAX_WORKER_THREADS", "PipelineResources"]
