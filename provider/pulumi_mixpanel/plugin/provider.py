"""The `mixpanel` provider plugin: the Pulumi SDK's provider API, handed to the core.

One process serves one provider instance (the default provider, or each explicit
`mixpanel.Provider`). The server is asynchronous; every operation that calls Mixpanel runs in
a worker thread of its own (the pool grows with demand, far beyond the engine's default
parallelism), so concurrent operations never queue behind a small fixed pool.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional, TypeVar

from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)

from pulumi_mixpanel.core.errors import Problem, SettingsError
from pulumi_mixpanel.core.lifecycle import OUTPUT_FIELDS, PipelineLifecycle
from pulumi_mixpanel.core.logs import enable_logging_from_environment
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.plugin.properties import camel_path, camel_text, settings_values, to_camel, to_snake
from pulumi_mixpanel.plugin.schema import TYPE_BY_TOKEN, camel, checked_in_schema

T = TypeVar("T")
# Worker threads for API calls: enough that the engine's parallelism, not the pool, bounds
# how many operations run at once.
MAX_WORKER_THREADS = 256
HTTP_POOL_SIZE = 64


class MixpanelPluginProvider(Provider):
    def __init__(self, lifecycle_factory: Optional[Callable[[ProviderSettings], PipelineLifecycle]] = None) -> None:
        self._lifecycle_factory = lifecycle_factory or (
            lambda settings: PipelineLifecycle(settings, pool_size=HTTP_POOL_SIZE)
        )
        self._lifecycle: Optional[PipelineLifecycle] = None
        self._executor = ThreadPoolExecutor(max_workers=MAX_WORKER_THREADS, thread_name_prefix="mixpanel-api")

    @property
    def lifecycle(self) -> PipelineLifecycle:
        if self._lifecycle is None:
            raise SettingsError("the Mixpanel provider was not configured")
        return self._lifecycle

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(function, *args))

    # --- the provider itself ----------------------------------------------------------------

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=checked_in_schema())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        settings = ProviderSettings.from_sources(settings_values(request.new_inputs))
        return CheckResponse(inputs=request.new_inputs, failures=_failures(settings.problems, rename=False))

    async def diff_config(self, request: DiffRequest) -> DiffResponse:
        # A new credential or endpoint reaches the same pipelines: never a replacement.
        old, new = settings_values(request.old_state), settings_values(request.new_inputs)
        changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key) and key != "version")
        return DiffResponse(changes=bool(changed), diffs=changed)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        enable_logging_from_environment()
        settings = ProviderSettings.from_sources(settings_values(request.args))
        if settings.problems:
            raise SettingsError("the Mixpanel provider settings cannot work:", settings.problems)
        self._lifecycle = self._lifecycle_factory(settings)
        return ConfigureResponse(
            accept_secrets=True, supports_preview=False, accept_resources=False, accept_outputs=False
        )

    # --- resources ----------------------------------------------------------------------------

    async def check(self, request: CheckRequest) -> CheckResponse:
        pipeline_type = _pipeline_type(request.type)
        olds = _with_type(to_snake(request.old_inputs), pipeline_type) if request.old_inputs else {}
        news = _with_type(to_snake(request.new_inputs), pipeline_type)
        outcome = self.lifecycle.check(olds, news)
        return CheckResponse(inputs=to_camel(outcome.inputs, drop=("type",)), failures=_failures(outcome.problems))

    async def diff(self, request: DiffRequest) -> DiffResponse:
        pipeline_type = _pipeline_type(request.type)
        old_inputs = getattr(request, "old_inputs", None)
        plan = self.lifecycle.diff(
            _with_type(to_snake(request.old_state), pipeline_type),
            _with_type(to_snake(request.new_inputs), pipeline_type),
            _with_type(to_snake(old_inputs), pipeline_type) if old_inputs else None,
        )
        replaces = [camel(name) for name in plan.replaces]
        return DiffResponse(
            changes=plan.has_changes,
            replaces=replaces,
            stables=[camel(name) for name in OUTPUT_FIELDS] if not replaces else [],
            delete_before_replace=plan.delete_before_replace,
            diffs=[camel(name) for name in plan.changed],
            detailed_diff={
                camel(name): PropertyDiff(
                    PropertyDiffKind.UPDATE_REPLACE if name in plan.replaces else PropertyDiffKind.UPDATE, True
                )
                for name in plan.changed
            },
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        inputs = _with_type(to_snake(request.properties), _pipeline_type(request.type))
        resource_id, outputs = await self._in_thread(self.lifecycle.create, inputs)
        return CreateResponse(resource_id=resource_id, properties=to_camel(outputs, drop=("type",)))

    async def read(self, request: ReadRequest) -> ReadResponse:
        pipeline_type = _pipeline_type(request.type)
        if not request.properties:
            # `pulumi import`: nothing but the id is known.
            inputs, outputs = await self._in_thread(self.lifecycle.import_pipelines, request.resource_id, pipeline_type)
            return ReadResponse(
                resource_id=request.resource_id,
                properties=to_camel(outputs, drop=("type",)),
                inputs=to_camel(inputs, drop=("type",)),
            )
        state = _with_type(to_snake(request.properties), pipeline_type)
        resource_id, outputs = await self._in_thread(self.lifecycle.read, request.resource_id, state)
        if not resource_id:
            return ReadResponse(resource_id="", properties={}, inputs={})
        return ReadResponse(
            resource_id=resource_id, properties=to_camel(outputs, drop=("type",)), inputs=dict(request.inputs or {})
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        pipeline_type = _pipeline_type(request.type)
        old_inputs = getattr(request, "old_inputs", None)
        outputs = await self._in_thread(
            self.lifecycle.update,
            request.resource_id,
            _with_type(to_snake(request.olds), pipeline_type),
            _with_type(to_snake(request.news), pipeline_type),
            _with_type(to_snake(old_inputs), pipeline_type) if old_inputs else None,
        )
        return UpdateResponse(properties=to_camel(outputs, drop=("type",)))

    async def delete(self, request: DeleteRequest) -> None:
        state = _with_type(to_snake(request.properties), _pipeline_type(request.type))
        await self._in_thread(self.lifecycle.delete, request.resource_id, state)


def _pipeline_type(token: str) -> str:
    pipeline_type = TYPE_BY_TOKEN.get(token)
    if pipeline_type is None:
        raise SettingsError(f"the mixpanel provider has no resource {token!r}; it has {', '.join(TYPE_BY_TOKEN)}")
    return pipeline_type


def _with_type(values: dict[str, Any], pipeline_type: str) -> dict[str, Any]:
    return {**values, "type": pipeline_type}


def _failures(problems: list[Problem] | tuple[Problem, ...], *, rename: bool = True) -> list[CheckFailure]:
    if not rename:
        return [CheckFailure(p.property, p.reason) for p in problems]
    return [CheckFailure(camel_path(p.property), camel_text(p.reason)) for p in problems]


__all__ = ["MixpanelPluginProvider"]
