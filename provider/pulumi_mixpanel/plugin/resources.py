"""The plugin's resource operations: the protocol's Check, Diff, Create, Read, Update and Delete
requests handed to the core's `PipelineLifecycle`, and its answers back as protocol responses.

Check and Diff make no API call and run on the server's event loop. Every operation that calls
Mixpanel runs in a worker thread of its own (the pool grows with demand, far beyond the engine's
default parallelism), so concurrent operations never queue behind a small fixed pool.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import proto

from pulumi_mixpanel.core.errors import Problem, SettingsError, UpdateInterruptedError
from pulumi_mixpanel.core.lifecycle import OUTPUT_FIELDS, PipelineLifecycle
from pulumi_mixpanel.plugin.properties import camel_path, camel_text, secret_properties, to_camel, to_snake
from pulumi_mixpanel.plugin.schema import TYPE_BY_TOKEN, camel

T = TypeVar("T")
# Worker threads for API calls: enough that the engine's parallelism, not the pool, bounds
# how many operations run at once.
MAX_WORKER_THREADS = 256
STABLE_PROPERTIES = [camel(name) for name in OUTPUT_FIELDS]


class PartialFailure(Exception):
    """A create or update that failed after some of its calls landed: the engine records
    `properties` as the resource's state (with the error), and retries it at the next update."""

    def __init__(self, resource_id: str, properties: struct_pb2.Struct, inputs: struct_pb2.Struct, reason: str):
        self.resource_id = resource_id
        self.properties = properties
        self.inputs = inputs
        self.reason = reason
        super().__init__(reason)


class PipelineResources:
    def __init__(self, lifecycle: Callable[[], PipelineLifecycle]) -> None:
        self._lifecycle = lifecycle
        self._executor = ThreadPoolExecutor(max_workers=MAX_WORKER_THREADS, thread_name_prefix="mixpanel-api")

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(function, *args))

    def check(self, request: proto.CheckRequest) -> proto.CheckResponse:
        pipeline_type = pipeline_type_of(request.urn)
        olds = _inputs(request.olds, pipeline_type) if request.olds.fields else {}
        outcome = self._lifecycle().check(olds, _inputs(request.news, pipeline_type))
        return proto.CheckResponse(
            inputs=_properties(outcome.inputs, secret_properties(request.news)),
            failures=check_failures(outcome.problems),
        )

    def diff(self, request: proto.DiffRequest) -> proto.DiffResponse:
        pipeline_type = pipeline_type_of(request.urn)
        plan = self._lifecycle().diff(
            _inputs(request.olds, pipeline_type),
            _inputs(request.news, pipeline_type),
            _inputs(request.old_inputs, pipeline_type) if request.old_inputs.fields else None,
        )
        replaces = [camel(name) for name in plan.replaces]
        return proto.DiffResponse(
            changes=proto.DiffResponse.DIFF_SOME if plan.has_changes else proto.DiffResponse.DIFF_NONE,
            replaces=replaces,
            stables=STABLE_PROPERTIES if not replaces else [],
            deleteBeforeReplace=plan.delete_before_replace,
            diffs=[camel(name) for name in plan.changed],
            detailedDiff={
                camel(name): proto.PropertyDiff(
                    kind=proto.PropertyDiff.UPDATE_REPLACE if name in plan.replaces else proto.PropertyDiff.UPDATE,
                    inputDiff=True,
                )
                for name in plan.changed
            },
            hasDetailedDiff=True,
        )

    async def create(self, request: proto.CreateRequest) -> proto.CreateResponse:
        inputs = _inputs(request.properties, pipeline_type_of(request.urn))
        secrets = secret_properties(request.properties)
        try:
            resource_id, outputs = await self._in_thread(self._lifecycle().create, inputs)
        except UpdateInterruptedError as error:
            names = error.outputs.get("pipeline_names") or []
            raise PartialFailure(
                ",".join(names), _properties(error.outputs, secrets), request.properties, str(error)
            ) from error
        return proto.CreateResponse(id=resource_id, properties=_properties(outputs, secrets))

    async def read(self, request: proto.ReadRequest) -> proto.ReadResponse:
        pipeline_type = pipeline_type_of(request.urn)
        if not request.properties.fields:
            # `pulumi import`: nothing but the id is known.
            inputs, outputs = await self._in_thread(self._lifecycle().import_pipelines, request.id, pipeline_type)
            return proto.ReadResponse(id=request.id, properties=_properties(outputs), inputs=_properties(inputs))
        state = _inputs(request.properties, pipeline_type)
        resource_id, outputs = await self._in_thread(self._lifecycle().read, request.id, state)
        if not resource_id:
            return proto.ReadResponse(id="", properties=struct_pb2.Struct(), inputs=struct_pb2.Struct())
        secrets = secret_properties(request.properties, request.inputs)
        return proto.ReadResponse(id=resource_id, properties=_properties(outputs, secrets), inputs=request.inputs)

    async def update(self, request: proto.UpdateRequest) -> proto.UpdateResponse:
        pipeline_type = pipeline_type_of(request.urn)
        secrets = secret_properties(request.news)
        try:
            outputs = await self._in_thread(
                self._lifecycle().update,
                request.id,
                _inputs(request.olds, pipeline_type),
                _inputs(request.news, pipeline_type),
                _inputs(request.old_inputs, pipeline_type) if request.old_inputs.fields else None,
            )
        except UpdateInterruptedError as error:
            # What landed is recorded: a secret that was secret before or now stays secret.
            recorded = secrets | secret_properties(request.olds)
            raise PartialFailure(request.id, _properties(error.outputs, recorded), request.news, str(error)) from error
        return proto.UpdateResponse(properties=_properties(outputs, secrets))

    async def delete(self, request: proto.DeleteRequest) -> empty_pb2.Empty:
        state = _inputs(request.properties, pipeline_type_of(request.urn))
        await self._in_thread(self._lifecycle().delete, request.id, state)
        return empty_pb2.Empty()


def pipeline_type_of(urn: str) -> str:
    """The pipeline type of a resource URN (`urn:pulumi:stack::project::[parent$]token::name`)."""
    parts = urn.split("::")
    token = parts[-2].rsplit("$", 1)[-1] if len(parts) > 2 else ""
    pipeline_type = TYPE_BY_TOKEN.get(token)
    if pipeline_type is None:
        raise SettingsError(f"the mixpanel provider has no resource {token!r}; it has {', '.join(TYPE_BY_TOKEN)}")
    return pipeline_type


def _inputs(properties: struct_pb2.Struct, pipeline_type: str) -> dict[str, Any]:
    return {**to_snake(properties), "type": pipeline_type}


def _properties(values: dict[str, Any], secrets: frozenset[str] = frozenset()) -> struct_pb2.Struct:
    return to_camel(values, drop=("type",), secrets=secrets)


def check_failures(problems: list[Problem] | tuple[Problem, ...]) -> list[proto.CheckFailure]:
    """Problems named by the schema's property names."""
    return [proto.CheckFailure(property=camel_path(p.property), reason=camel_text(p.reason)) for p in problems]


__all__ = ["MAX_WORKER_THREADS", "PartialFailure", "PipelineResources", "check_failures", "pipeline_type_of"]
