"""The plugin's floor: the machinery the plugin is required to stand on, and none of its work.

Issue 11 asks for a plugin written in Python on the SDK's provider API, with an asynchronous
gRPC server, calling Mixpanel with `requests`. This server has exactly that and nothing more: a
`grpc.aio` server with the SDK's channel options, each API call handed to a worker thread, and
the same `MixpanelClient` with the plugin's pool size. It makes the same API calls as the plugin
(the benchmark checks them against the same rules) but does none of the provider's own work:
Check and Diff answer without looking at the inputs, nothing is converted back, no change is
planned, no state is built, a create is not made exactly once. The only rule it runs is the one
no provider can skip: each create's request fields are built from its inputs, once.

The lifecycle through this server, against the same baseline, splits the plugin's overhead into
what the required machinery costs (floor / baseline) and what the provider adds (plugin / floor).
It is a measuring instrument, not a provider: never use it for anything else.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

import grpc.aio
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_mixpanel.core.client import MixpanelClient
from pulumi_mixpanel.core.lifecycle import utc_now
from pulumi_mixpanel.core.models import build_validators, validate_pipeline
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.plugin.configuration import HTTP_POOL_SIZE
from pulumi_mixpanel.plugin.resources import MAX_WORKER_THREADS
from pulumi_mixpanel.plugin.wire import GRPC_CHANNEL_OPTIONS, pipeline_type_of, to_snake


class FloorServicer(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=MAX_WORKER_THREADS, thread_name_prefix="floor-api")
        self._client: Optional[MixpanelClient] = None

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(function, *args))

    @property
    def client(self) -> MixpanelClient:
        assert self._client is not None, "not configured"
        return self._client

    async def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version="0.0.0")

    async def CheckConfig(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    async def Configure(self, request: provider_pb2.ConfigureRequest, context: Any) -> provider_pb2.ConfigureResponse:
        settings = ProviderSettings.from_sources(dict(request.args.items()))
        assert settings.credentials is not None, settings.problems
        self._client = MixpanelClient(
            settings.credentials, endpoint=settings.endpoint, ca_bundle=settings.ca_bundle, pool_size=HTTP_POOL_SIZE
        )
        build_validators()
        return provider_pb2.ConfigureResponse(acceptSecrets=True)

    async def Check(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    async def Diff(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_SOME)

    def _create(self, inputs: struct_pb2.Struct, urn: str) -> list[str]:
        values = {**to_snake(inputs), "type": pipeline_type_of(urn)}
        today = utc_now().date()
        model, problems = validate_pipeline(values, today=today)
        assert model is not None, problems
        self.client.jobs()
        return list(self.client.create(model.request_fields(today=today))["pipeline_names"])

    async def Create(self, request: provider_pb2.CreateRequest, context: Any) -> provider_pb2.CreateResponse:
        names = await self._in_thread(self._create, request.properties, request.urn)
        properties = struct_pb2.Struct()
        properties.CopyFrom(request.properties)
        properties["pipelineNames"] = names
        return provider_pb2.CreateResponse(id=",".join(names), properties=properties)

    def _each_name(self, call: Callable[[str], Any], resource_id: str) -> None:
        for name in resource_id.split(","):
            call(name)

    async def Read(self, request: provider_pb2.ReadRequest, context: Any) -> provider_pb2.ReadResponse:
        await self._in_thread(self._each_name, lambda name: self.client.status(name, summary=True), request.id)
        return provider_pb2.ReadResponse(id=request.id, properties=request.properties, inputs=request.inputs)

    async def Update(self, request: provider_pb2.UpdateRequest, context: Any) -> provider_pb2.UpdateResponse:
        news = request.news.fields
        if "paused" in news and news["paused"].bool_value:
            call: Callable[[str], Any] = self.client.pause
        else:
            events = [value.string_value for value in news["events"].list_value.values]
            call = functools.partial(self._edit_events, events=events)
        await self._in_thread(self._each_name, call, request.id)
        return provider_pb2.UpdateResponse(properties=request.news)

    def _edit_events(self, name: str, *, events: list[str]) -> None:
        self.client.edit(name, {"events": events})

    async def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:
        await self._in_thread(self._each_name, self.client.cancel, request.id)
        return empty_pb2.Empty()


async def serve() -> None:
    server = grpc.aio.server(options=GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(FloorServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(serve())
