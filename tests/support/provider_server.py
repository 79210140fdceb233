"""Drive the Pulumi SDK's own dynamic provider server over gRPC, as the engine does.

The server is started exactly as the CLI starts it (`python -u -m pulumi.dynamic`, which
prints its port) and spoken to with the SDK's generated stubs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, Optional

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

# The engine's marker for a value not known during preview.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update({k: v for k, v in values.items() if v is not None})
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


class ProviderServer:
    """One `python -u -m pulumi.dynamic` process and a stub to call it."""

    def __init__(self, env: Optional[dict[str, str]] = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MIXPANEL_")}
        full_env.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
        )
        port_line = self.process.stdout.readline().decode().strip()
        if not port_line.isdigit():
            self.process.kill()
            raise RuntimeError(f"provider server did not print a port: {port_line!r} {self.process.stderr.read()!r}")
        self.port = int(port_line)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def close(self) -> str:
        self.channel.close()
        self.process.kill()
        _, stderr = self.process.communicate(timeout=10)
        return stderr.decode(errors="replace")

    def __enter__(self) -> "ProviderServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- the ResourceProvider RPCs, with plain dicts in and out ---------------------------------

    def configure(self, config: dict[str, str]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config)))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        response = self.stub.Check(
            provider_pb2.CheckRequest(urn=URN, olds=to_struct(olds), news=to_struct(news))
        )
        return from_struct(response.inputs), [(f.property, f.reason) for f in response.failures]

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> provider_pb2.DiffResponse:
        return self.stub.Diff(provider_pb2.DiffRequest(id=id_, urn=URN, olds=to_struct(olds), news=to_struct(news)))

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(provider_pb2.CreateRequest(urn=URN, properties=to_struct(props)))
        return response.id, from_struct(response.properties)

    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=URN, properties=to_struct(props)))
        return response.id, from_struct(response.properties)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Update(provider_pb2.UpdateRequest(id=id_, urn=URN, olds=to_struct(olds), news=to_struct(news)))
        return from_struct(response.properties)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=URN, properties=to_struct(props)))


URN = "urn:pulumi:test::mixpanel::pulumi-python:dynamic/mixpanel:MixpanelPipeline::pipeline"
