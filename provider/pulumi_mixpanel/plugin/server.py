"""The gRPC server of the plugin: the SDK's experimental `ProviderServicer`, with what it lacks.

- Errors the user must act on (Mixpanel's refusals, bad settings, invalid inputs) reach the
  CLI as their own message; the SDK's servicer appends a Python traceback to every error.
- Diff and Update carry the resource's old inputs (the protocol sends them; the SDK's
  requests drop them): an imported pipeline's unverified inputs are compared with them.
Otherwise it serves exactly as the SDK's `server.main` does.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Optional

import grpc
import grpc.aio
from pulumi.provider.experimental import provider as sdk
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_mixpanel.core.errors import MixpanelError, PipelineInputError, SettingsError

USER_ERRORS = (MixpanelError, SettingsError, PipelineInputError)


DIFF_KINDS = {
    sdk.PropertyDiffKind.ADD: proto.PropertyDiff.ADD,
    sdk.PropertyDiffKind.ADD_REPLACE: proto.PropertyDiff.ADD_REPLACE,
    sdk.PropertyDiffKind.DELETE: proto.PropertyDiff.DELETE,
    sdk.PropertyDiffKind.DELETE_REPLACE: proto.PropertyDiff.DELETE_REPLACE,
    sdk.PropertyDiffKind.UPDATE: proto.PropertyDiff.UPDATE,
    sdk.PropertyDiffKind.UPDATE_REPLACE: proto.PropertyDiff.UPDATE_REPLACE,
}


class DiffRequestWithOldInputs(sdk.DiffRequest):
    def __init__(self, *args: Any, old_inputs: dict[str, PropertyValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old_inputs = old_inputs


class UpdateRequestWithOldInputs(sdk.UpdateRequest):
    def __init__(self, *args: Any, old_inputs: dict[str, PropertyValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old_inputs = old_inputs


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


def _plain_errors(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await method(self, request, context)
        except Exception as error:
            cause = user_error(error)
            if cause is None:
                raise
            await context.abort(grpc.StatusCode.UNKNOWN, str(cause))

    return wrapper


class MixpanelServicer(ProviderServicer):
    CheckConfig = _plain_errors(ProviderServicer.CheckConfig)
    Configure = _plain_errors(ProviderServicer.Configure)
    Check = _plain_errors(ProviderServicer.Check)
    Create = _plain_errors(ProviderServicer.Create)
    Read = _plain_errors(ProviderServicer.Read)
    Delete = _plain_errors(ProviderServicer.Delete)

    @_plain_errors
    async def Diff(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = await self._provider.diff(
            DiffRequestWithOldInputs(
                request.urn,
                request.id,
                PropertyValue.unmarshal_map(request.olds),
                PropertyValue.unmarshal_map(request.news),
                list(request.ignoreChanges),
                old_inputs=PropertyValue.unmarshal_map(request.old_inputs),
            )
        )
        return proto.DiffResponse(
            replaces=response.replaces,
            stables=response.stables,
            deleteBeforeReplace=response.delete_before_replace,
            changes=proto.DiffResponse.DIFF_SOME if response.changes else proto.DiffResponse.DIFF_NONE,
            diffs=response.diffs,
            detailedDiff={
                key: proto.PropertyDiff(kind=DIFF_KINDS[diff.kind], inputDiff=diff.input_diff)
                for key, diff in response.detailed_diff.items()
            },
            hasDetailedDiff=True,
        )

    @_plain_errors
    async def Update(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        response = await self._provider.update(
            UpdateRequestWithOldInputs(
                request.urn,
                request.id,
                PropertyValue.unmarshal_map(request.olds),
                PropertyValue.unmarshal_map(request.news),
                timeout=request.timeout,
                ignore_changes=list(request.ignoreChanges),
                preview=request.preview,
                old_inputs=PropertyValue.unmarshal_map(request.old_inputs),
            )
        )
        return proto.UpdateResponse(properties=PropertyValue.marshal_map(response.properties))


def serve(provider: sdk.Provider, version: str, args: Optional[list[str]] = None) -> None:
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
