"""The gRPC server of the plugin: the SDK's experimental `ProviderServicer` for the provider's
own calls (schema, settings), and the resource calls served directly (`resources.py`).

- Resource properties go from the protocol's `Struct`s to the core's plain values without the
  SDK's `PropertyValue` (`properties.py` says why); Diff and Update also get the resource's old
  inputs, which the SDK's requests drop and an imported pipeline's unverified inputs need.
- Errors the user must act on (Mixpanel's refusals, bad settings, invalid inputs) reach the
  CLI as their own message; any other error keeps its traceback, as the SDK's servicer does.
Otherwise it serves exactly as the SDK's `server.main` does.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, Optional

import grpc
import grpc.aio
from google.protobuf import any_pb2
from pulumi.provider.experimental import provider as experimental
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2_grpc, status_pb2

from pulumi_mixpanel.core.errors import MixpanelError, PipelineInputError, SettingsError
from pulumi_mixpanel.plugin.provider import MixpanelPluginProvider
from pulumi_mixpanel.plugin.resources import PartialFailure

USER_ERRORS = (MixpanelError, SettingsError, PipelineInputError)


def user_error(error: BaseException) -> Optional[BaseException]:
    """The error the user must act on, if `error` is one or was raised while handling one."""
    seen: set[int] = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        if isinstance(current, USER_ERRORS):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _plain_errors(
    method: Callable[..., Awaitable[Any]], *, with_traceback: bool = True
) -> Callable[..., Awaitable[Any]]:
    """A user error becomes its own message; any other error gets its traceback (the SDK's own
    methods add it themselves: `with_traceback=False`)."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await method(self, request, context)
        except PartialFailure as failure:
            await context.abort(grpc.StatusCode.UNKNOWN, failure.reason, trailing_metadata=partial_state(failure))
        except Exception as error:
            cause = user_error(error)
            if cause is not None:
                await context.abort(grpc.StatusCode.UNKNOWN, str(cause))
            if not with_traceback or isinstance(error, NotImplementedError):
                raise
            stack = "".join(traceback.format_tb(error.__traceback__))
            await context.abort(grpc.StatusCode.UNKNOWN, f"{type(error).__name__}: {error}:\n{stack}")

    return wrapper


def partial_state(failure: PartialFailure) -> tuple[tuple[str, bytes], ...]:
    """The gRPC status detail by which a provider tells the engine what a failed create or update
    left (`ErrorResourceInitFailed`): the engine records it as the resource's state."""
    detail = any_pb2.Any()
    detail.Pack(
        proto.ErrorResourceInitFailed(
            id=failure.resource_id, properties=failure.properties, reasons=[failure.reason], inputs=failure.inputs
        )
    )
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=failure.reason, details=[detail])
    return (("grpc-status-details-bin", status.SerializeToString()),)


class EngineLog:
    """Warnings shown by the CLI among the engine's diagnostics, each said once per process."""

    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address
        self._stub: Optional[engine_pb2_grpc.EngineStub] = None
        self._said: set[tuple[str, str]] = set()

    async def warn(self, urn: str, message: str) -> None:
        if not self._engine_address or (urn, message) in self._said:
            return
        self._said.add((urn, message))
        if self._stub is None:
            channel = grpc.aio.insecure_channel(self._engine_address, options=_GRPC_CHANNEL_OPTIONS)
            self._stub = engine_pb2_grpc.EngineStub(channel)
        try:
            await self._stub.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message=message, urn=urn))
        except grpc.RpcError:
            pass  # a diagnostic that cannot be shown must not fail the operation


class MixpanelServicer(ProviderServicer):
    _provider: MixpanelPluginProvider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine_log = EngineLog(kwargs.get("engine_address") or "")

    CheckConfig = _plain_errors(ProviderServicer.CheckConfig, with_traceback=False)
    Configure = _plain_errors(ProviderServicer.Configure, with_traceback=False)

    @_plain_errors
    async def DiffConfig(self, request: proto.DiffRequest, context: grpc.aio.ServicerContext) -> proto.DiffResponse:
        # Not the SDK's: it copies its boolean `changes` into the protocol's enum, where True is
        # DIFF_NONE (1), with an empty detailed diff, so the engine never saw a settings change.
        change = self._provider.settings_change(
            experimental.DiffRequest(
                request.urn,
                request.id,
                PropertyValue.unmarshal_map(request.olds),
                PropertyValue.unmarshal_map(request.news),
                request.ignoreChanges,
            )
        )
        # The engine asks twice: about the provider itself (of a process not configured yet), then
        # for each of its resources (of the configured one). Said once, with the provider.
        if change.move and not self._provider.configured:
            await self.engine_log.warn(request.urn, change.move)
        return proto.DiffResponse(
            changes=proto.DiffResponse.DIFF_SOME if change.changed else proto.DiffResponse.DIFF_NONE,
            replaces=change.replaces,
            diffs=change.changed,
            detailedDiff={
                name: proto.PropertyDiff(
                    kind=proto.PropertyDiff.UPDATE_REPLACE if name in change.replaces else proto.PropertyDiff.UPDATE,
                    inputDiff=True,
                )
                for name in change.changed
            },
            hasDetailedDiff=True,
        )

    @_plain_errors
    async def Check(self, request: proto.CheckRequest, context: grpc.aio.ServicerContext) -> proto.CheckResponse:
        return self._provider.resources.check(request)

    @_plain_errors
    async def Diff(self, request: proto.DiffRequest, context: grpc.aio.ServicerContext) -> proto.DiffResponse:
        return self._provider.resources.diff(request)

    @_plain_errors
    async def Create(self, request: proto.CreateRequest, context: grpc.aio.ServicerContext) -> proto.CreateResponse:
        return await self._provider.resources.create(request)

    @_plain_errors
    async def Read(self, request: proto.ReadRequest, context: grpc.aio.ServicerContext) -> proto.ReadResponse:
        return await self._provider.resources.read(request)

    @_plain_errors
    async def Update(self, request: proto.UpdateRequest, context: grpc.aio.ServicerContext) -> proto.UpdateResponse:
        return await self._provider.resources.update(request)

    @_plain_errors
    async def Delete(self, request: proto.DeleteRequest, context: grpc.aio.ServicerContext) -> Any:
        return await self._provider.resources.delete(request)


def serve(provider: MixpanelPluginProvider, version: str, args: Optional[list[str]] = None) -> None:
    """Listen on a free loopback port, print it (the engine reads it), serve until stopped."""
    parser = argparse.ArgumentParser(description="The mixpanel Pulumi provider plugin (a gRPC server)")
    parser.add_argument("engine", nargs="?", default="", help="the Pulumi engine's address")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    arguments = args if args is not None else sys.argv[1:]
    known, _ = parser.parse_known_args(arguments)

    async def run() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        servicer = MixpanelServicer(arguments, version, provider, engine_address=known.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.buffer.write(f"{port}\n".encode())
        sys.stdout.buffer.flush()
        await server.wait_for_termination()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
