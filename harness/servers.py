"""Both front ends' provider servers, started as the CLI starts them and driven over gRPC.

- `DynamicServer`: the Pulumi SDK's dynamic provider server (`python -u -m pulumi.dynamic`),
  fed the `__provider` that the real `MixpanelPipeline` registers.
- `PluginServer`: `pulumi-resource-mixpanel`, the plugin installed by this distribution.

Both take and return the API's snake_case names and plain values, so one table of lifecycle
cases runs against both. The plugin speaks camelCase with secrets wrapped; its driver converts
with its own rules (not the provider's), so a naming or secrecy bug on either side shows.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from harness.secrets import is_secret_envelope, reveal, secret

FRONT_ENDS = ("dynamic", "plugin")
SECRET_FIELDS = frozenset({"client_secret", "snowflake_password"})
TOKENS = {
    "bigquery": "BigQueryPipeline", "snowflake": "SnowflakePipeline", "aws": "AwsPipeline",
    "azure-blob": "AzureBlobPipeline", "gcs-schema": "GcsSchemaPipeline", "s3-raw": "S3RawPipeline",
    "gcs-raw": "GcsRawPipeline", "azure-raw": "AzureRawPipeline",
}  # fmt: skip
DYNAMIC_URN = "urn:pulumi:test::mixpanel::pulumi-python:dynamic/mixpanel:MixpanelPipeline::pipeline"


def to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update({k: v for k, v in values.items() if v is not None})
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


def camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class PartialState(Exception):
    """A create or update that failed part-way, and the state the provider says it left
    (the plugin's `ErrorResourceInitFailed` status detail, which the engine records)."""

    def __init__(self, reason: str, id_: str, outs: dict[str, Any]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.id = id_
        self.outs = outs


def partial_state_detail(error: grpc.RpcError) -> Optional[provider_pb2.ErrorResourceInitFailed]:
    """The `ErrorResourceInitFailed` a failed call carries in its status details, if any."""
    from pulumi.runtime.proto import status_pb2

    for key, value in error.trailing_metadata() or ():  # type: ignore[attr-defined]
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                failed = provider_pb2.ErrorResourceInitFailed()
                if detail.Unpack(failed):
                    return failed
    return None


@dataclass
class Diff:
    changes: bool
    replaces: list[str]
    delete_before_replace: bool
    diffs: list[str] = field(default_factory=list)


class ProviderServer:
    """One provider server process and a stub to call it."""

    kind = ""

    def __init__(self, command: list[str], env: Optional[dict[str, str]] = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MIXPANEL_")}
        full_env.update(env or {})
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        port_line = self.process.stdout.readline().decode().strip()  # type: ignore[union-attr]
        if not port_line.isdigit():
            self.process.kill()
            raise RuntimeError(f"{command[0]} did not print a port: {port_line!r} {self.process.stderr.read()!r}")  # type: ignore[union-attr]
        self.port = int(port_line)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.secret_outputs: set[str] = set()

    def close(self) -> str:
        self.channel.close()
        self.process.kill()
        _, stderr = self.process.communicate(timeout=10)
        return stderr.decode(errors="replace")

    def __enter__(self) -> ProviderServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # Implemented per front end, all in snake_case and plain values.
    def configure(self, settings: dict[str, str]) -> list[tuple[str, str]]: ...
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]: ...
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff: ...
    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...
    def delete(self, id_: str, props: dict[str, Any]) -> None: ...

    def checked(self, news: dict[str, Any], olds: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        inputs, failures = self.check(olds or {}, news)
        assert failures == [], failures
        return inputs

    def created(self, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return self.create(self.checked(news))


class DynamicServer(ProviderServer):
    kind = "dynamic"

    def __init__(self, env: Optional[dict[str, str]] = None) -> None:
        serialized_provider()  # built here, in the caller's thread: Pulumi's mocks need its event loop
        super().__init__([sys.executable, "-u", "-m", "pulumi.dynamic"], env)

    @staticmethod
    def _engine(values: dict[str, Any]) -> dict[str, Any]:
        """What the engine hands the dynamic provider: plain values and the serialized provider."""
        return reveal({"__provider": serialized_provider(), **values})

    def configure(self, settings: dict[str, str]) -> list[tuple[str, str]]:
        self.stub.Configure(
            provider_pb2.ConfigureRequest(args=to_struct({f"mixpanel:{k}": v for k, v in settings.items()}))
        )
        return []

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        response = self.stub.Check(
            provider_pb2.CheckRequest(
                urn=DYNAMIC_URN, olds=to_struct(self._engine(olds) if olds else {}), news=to_struct(self._engine(news))
            )
        )
        return from_struct(response.inputs), [(f.property, f.reason) for f in response.failures]

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        response = self.stub.Diff(
            provider_pb2.DiffRequest(
                id=id_, urn=DYNAMIC_URN, olds=to_struct(self._engine(olds)), news=to_struct(self._engine(news))
            )
        )
        return Diff(response.changes == response.DIFF_SOME, list(response.replaces), response.deleteBeforeReplace)

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(
            provider_pb2.CreateRequest(urn=DYNAMIC_URN, properties=to_struct(self._engine(props)))
        )
        return response.id, from_struct(response.properties)

    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(
            provider_pb2.ReadRequest(id=id_, urn=DYNAMIC_URN, properties=to_struct(self._engine(props)))
        )
        return response.id, from_struct(response.properties)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Update(
            provider_pb2.UpdateRequest(
                id=id_, urn=DYNAMIC_URN, olds=to_struct(self._engine(olds)), news=to_struct(self._engine(news))
            )
        )
        return from_struct(response.properties)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=DYNAMIC_URN, properties=to_struct(self._engine(props))))


class PluginServer(ProviderServer):
    kind = "plugin"

    def __init__(self, env: Optional[dict[str, str]] = None) -> None:
        executable = (
            shutil.which("pulumi-resource-mixpanel", path=os.path.dirname(sys.executable)) or "pulumi-resource-mixpanel"
        )
        super().__init__([executable], env)

    @staticmethod
    def urn(values: dict[str, Any]) -> str:
        return f"urn:pulumi:test::mixpanel::mixpanel:index:{TOKENS[values['type']]}::pipeline"

    @staticmethod
    def _wire(values: dict[str, Any]) -> dict[str, Any]:
        """camelCase, secret fields as secrets, `type` and `__provider` left out (the URN says the type)."""
        return {
            camel(k): (secret(v) if k in SECRET_FIELDS and v is not None and not is_secret_envelope(v) else v)
            for k, v in values.items()
            if k != "type" and not k.startswith("__")
        }

    def _back(self, struct: struct_pb2.Struct, pipeline_type: str) -> dict[str, Any]:
        values = from_struct(struct)
        self.secret_outputs = {snake(k) for k, v in values.items() if is_secret_envelope(v)}
        if isinstance(values.get("unverifiedInputs"), list):  # it lists property names
            values["unverifiedInputs"] = [snake(name) for name in values["unverifiedInputs"]]
        return {"type": pipeline_type, **{snake(k): reveal(v) for k, v in values.items()}}

    def configure(self, settings: dict[str, str]) -> list[tuple[str, str]]:
        response = self.stub.CheckConfig(
            provider_pb2.CheckRequest(
                urn="urn:pulumi:test::mixpanel::pulumi:providers:mixpanel::default",
                olds=to_struct({}),
                news=to_struct(settings),
            )
        )
        failures = [(f.property, f.reason) for f in response.failures]
        if not failures:
            self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(settings), acceptSecrets=True))
        return failures

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        response = self.stub.Check(
            provider_pb2.CheckRequest(
                urn=self.urn(news), olds=to_struct(self._wire(olds)), news=to_struct(self._wire(news))
            )
        )
        return self._back(response.inputs, news["type"]), [(snake(f.property), f.reason) for f in response.failures]

    def diff(
        self, id_: str, olds: dict[str, Any], news: dict[str, Any], old_inputs: Optional[dict[str, Any]] = None
    ) -> Diff:
        response = self.stub.Diff(
            provider_pb2.DiffRequest(
                id=id_,
                urn=self.urn(news),
                olds=to_struct(self._wire(olds)),
                news=to_struct(self._wire(news)),
                old_inputs=to_struct(self._wire(old_inputs or {})),
            )
        )
        return Diff(
            response.changes == response.DIFF_SOME,
            [snake(r) for r in response.replaces],
            response.deleteBeforeReplace,
            [snake(d) for d in response.diffs],
        )

    def _partial(self, error: grpc.RpcError, pipeline_type: str) -> Exception:
        detail = partial_state_detail(error)
        if detail is None:
            return error
        return PartialState(error.details(), detail.id, self._back(detail.properties, pipeline_type))  # type: ignore[attr-defined]

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        try:
            response = self.stub.Create(
                provider_pb2.CreateRequest(urn=self.urn(props), properties=to_struct(self._wire(props)))
            )
        except grpc.RpcError as error:
            raise self._partial(error, props["type"]) from None
        return response.id, self._back(response.properties, props["type"])

    def read(self, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(
            provider_pb2.ReadRequest(
                id=id_, urn=self.urn(props), properties=to_struct(self._wire(props)), inputs=to_struct({})
            )
        )
        return response.id, (self._back(response.properties, props["type"]) if response.id else {})

    def import_(self, id_: str, pipeline_type: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """What `pulumi import` asks: a Read with nothing but the id."""
        response = self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=self.urn({"type": pipeline_type})))
        inputs = {"type": pipeline_type, **{snake(k): reveal(v) for k, v in from_struct(response.inputs).items()}}
        return response.id, self._back(response.properties, pipeline_type), inputs

    def update(
        self, id_: str, olds: dict[str, Any], news: dict[str, Any], old_inputs: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        try:
            response = self.stub.Update(
                provider_pb2.UpdateRequest(
                    id=id_,
                    urn=self.urn(news),
                    olds=to_struct(self._wire(olds)),
                    news=to_struct(self._wire(news)),
                    old_inputs=to_struct(self._wire(old_inputs or {})),
                )
            )
        except grpc.RpcError as error:
            raise self._partial(error, news["type"]) from None
        return self._back(response.properties, news["type"])

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(
            provider_pb2.DeleteRequest(id=id_, urn=self.urn(props), properties=to_struct(self._wire(props)))
        )


def start(kind: str, env: Optional[dict[str, str]] = None) -> ProviderServer:
    return DynamicServer(env) if kind == "dynamic" else PluginServer(env)


@functools.lru_cache(maxsize=1)
def serialized_provider() -> str:
    """The `__provider` value the real `MixpanelPipeline` registers (built under Pulumi mocks)."""
    import pulumi_mixpanel
    from harness import inputs as valid
    from harness.program import resource_inputs

    return resource_inputs(lambda: pulumi_mixpanel.MixpanelPipeline("p", valid.args("gcs-raw")), "p")["__provider"]


def emulator_settings(base_url: str, secret_value: str = "emulator-secret") -> dict[str, str]:
    """Provider settings for an emulator's service account `emulator`, project 1."""
    return {
        "endpoint": base_url,
        "serviceAccountUsername": "emulator",
        "serviceAccountSecret": secret_value,
        "projectId": "1",
    }
