"""The engine's side of the provider protocol, as lean as the engine itself keeps it.

The Pulumi engine (Go) hands each answer's property Struct to the next request unchanged; it
never converts properties to dictionaries and back. This driver does the same, so that the
lifecycle's timings measure the provider servers, not a Python test driver's conversions. The
program's inputs are built into Structs before anything is timed, as the program has declared
them before the engine sends them.

`GoEngine` runs the same steps in Go (`tools/pulumi-cli/cmd/pulumi-bench-engine`, built with the
CLI by scripts/install-pulumi-cli.sh), as the engine is: the Python driver's own gRPC client
costs about 0.7 ms of CPU per call, CPU the harness then takes from the emulators.
"""

from __future__ import annotations

import base64
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import provider_pb2

from harness.servers import DYNAMIC_URN, PluginServer, ProviderServer, serialized_provider, to_struct


@dataclass
class Declared:
    """One resource as the program declares it, before and after the edit, ready to send."""

    urn: str
    program: struct_pb2.Struct
    edited: struct_pb2.Struct


def declare(server: ProviderServer, values: dict[str, Any], edited: dict[str, Any]) -> Declared:
    if server.kind == "dynamic":
        provider = serialized_provider()
        return Declared(
            DYNAMIC_URN, to_struct({"__provider": provider, **values}), to_struct({"__provider": provider, **edited})
        )
    wire = PluginServer._wire  # the plugin's camelCase names, secrets wrapped as the engine sends them
    return Declared(PluginServer.urn(values), to_struct(wire(values)), to_struct(wire(edited)))


def check(
    server: ProviderServer, declared: Declared, olds: struct_pb2.Struct, news: struct_pb2.Struct
) -> struct_pb2.Struct:
    response = server.stub.Check(provider_pb2.CheckRequest(urn=declared.urn, olds=olds, news=news))
    assert not response.failures, list(response.failures)
    return response.inputs


def create(server: ProviderServer, declared: Declared) -> tuple[str, struct_pb2.Struct, struct_pb2.Struct]:
    inputs = check(server, declared, struct_pb2.Struct(), declared.program)
    response = server.stub.Create(provider_pb2.CreateRequest(urn=declared.urn, properties=inputs))
    return response.id, inputs, response.properties


def read(server: ProviderServer, declared: Declared, resource_id: str, state: struct_pb2.Struct) -> struct_pb2.Struct:
    response = server.stub.Read(provider_pb2.ReadRequest(id=resource_id, urn=declared.urn, properties=state))
    assert response.id == resource_id, (response.id, resource_id)
    return response.properties


def update(
    server: ProviderServer, declared: Declared, resource_id: str, inputs: struct_pb2.Struct, state: struct_pb2.Struct
) -> struct_pb2.Struct:
    news = check(server, declared, inputs, declared.edited)
    diff = server.stub.Diff(
        provider_pb2.DiffRequest(id=resource_id, urn=declared.urn, olds=state, news=news, old_inputs=inputs)
    )
    assert diff.changes == diff.DIFF_SOME and not diff.replaces, diff
    response = server.stub.Update(
        provider_pb2.UpdateRequest(id=resource_id, urn=declared.urn, olds=state, news=news, old_inputs=inputs)
    )
    return response.properties


def delete(server: ProviderServer, declared: Declared, resource_id: str, state: struct_pb2.Struct) -> None:
    server.stub.Delete(provider_pb2.DeleteRequest(id=resource_id, urn=declared.urn, properties=state))


class GoEngine:
    """`pulumi-bench-engine` driving `work` (each resource with its server), one phase at a time."""

    def __init__(self, executable: Path, work: list[tuple[ProviderServer, Declared]], concurrency: int) -> None:
        servers: list[ProviderServer] = []
        for server, _ in work:
            if server not in servers:
                servers.append(server)
        job = {
            "servers": [server.port for server in servers],
            "resources": [
                {
                    "server": servers.index(server),
                    "urn": declared.urn,
                    "program": base64.b64encode(declared.program.SerializeToString()).decode(),
                    "edited": base64.b64encode(declared.edited.SerializeToString()).decode(),
                }
                for server, declared in work
            ],
        }
        self.process = subprocess.Popen(
            [str(executable), "--concurrency", str(concurrency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._say(json.dumps(job), expect="ready")

    @property
    def pid(self) -> int:
        return self.process.pid

    def run(self, phase: str) -> None:
        """Every resource through `phase` ("create", "read", "update", "delete")."""
        self._say(phase, expect=f"done {phase}")

    def _say(self, line: str, *, expect: str) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != expect:
            raise RuntimeError(f"pulumi-bench-engine: {answer or 'ended without an answer'}")

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
