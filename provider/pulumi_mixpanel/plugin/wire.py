"""The Pulumi provider protocol, in one place: the gRPC servicer, property maps (camelCase
`Struct`s in Pulumi's wire encoding) to the core's plain snake_case values and back, the status
detail of a partial failure, diagnostics sent to the engine, and the server itself.

It is the only module that touches the protocol. It uses no private name of the Pulumi SDK: the
wire encoding's constants are written out, and `tests/unit/test_plugin_wire.py` checks them
against the SDK's private names, so an SDK upgrade that changes one fails a test rather than a
deployment. Everything below it (`configuration`, `resources`, the core) works on plain values.

- A secret arrives wrapped (`{sig: secret, value: ...}`) and is unwrapped; what arrived secret,
  and every field the schema declares secret, goes back wrapped.
- An unknown value (the protocol's sentinel string) is the core's NOT_KNOWN, and goes back as the
  sentinel. An output value (sent only to providers that accept outputs; this one does not) is
  its value when known. Assets, archives and resource references are passed on as given, for
  validation to refuse by property name.
- Errors the user must act on (Mixpanel's refusals, bad settings, invalid inputs) reach the CLI
  as their own message; any other error keeps its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib
import importlib.util
import re
import sys
import traceback
import types
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Optional

import grpc
import grpc.aio
from google.protobuf import any_pb2, empty_pb2, struct_pb2

from pulumi_mixpanel.core.changes import ChangePlan
from pulumi_mixpanel.core.errors import (
    MixpanelError,
    PipelineInputError,
    Problem,
    SettingsError,
    UpdateInterruptedError,
)
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, NOT_KNOWN, PIPELINE_CLASSES, is_deferred
from pulumi_mixpanel.core.state import OUTPUT_FIELDS, PipelineState
from pulumi_mixpanel.plugin.configuration import ProviderConfiguration
from pulumi_mixpanel.plugin.functions import Functions
from pulumi_mixpanel.plugin.resources import PipelineResources
from pulumi_mixpanel.plugin.schema import TYPE_BY_TOKEN, camel, checked_in_schema

# Pulumi's wire encoding (sdk/go/common/resource/plugin/rpc.go, and the SDK's runtime modules rpc and
# grpc settings): the protocol's own constants, written here rather than imported from private
# names of the SDK; tests/unit/test_plugin_wire.py checks they equal the SDK's.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270"
OUTPUT_VALUE_SIGNATURE = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
GRPC_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
]
PROTOCOL_MODULES = ("provider_pb2", "provider_pb2_grpc", "plugin_pb2", "engine_pb2", "engine_pb2_grpc", "status_pb2")


def protocol_modules() -> list[types.ModuleType]:
    """The Pulumi SDK's generated protocol modules (`pulumi.runtime.proto.*`).

    They only import each other. Imported the usual way they run `pulumi/__init__`, the whole
    program SDK (about 150 ms, on every start of this plugin). In a process that has not imported
    `pulumi` (the plugin's own), they are loaded under their own names from the installed SDK,
    with its packages' `__init__` skipped; a later `import pulumi` is the usual one.
    """
    if "pulumi" not in sys.modules:
        spec = importlib.util.find_spec("pulumi")
        if spec is not None and spec.origin is not None:
            root = Path(spec.origin).parent
            packages = {
                "pulumi": root,
                "pulumi.runtime": root / "runtime",
                "pulumi.runtime.proto": root / "runtime/proto",
            }
            for name, folder in packages.items():
                package = types.ModuleType(name)
                package.__path__ = [str(folder)]
                sys.modules[name] = package
            try:
                return [importlib.import_module(f"pulumi.runtime.proto.{name}") for name in PROTOCOL_MODULES]
            finally:
                for name in packages:
                    del sys.modules[name]
    return [importlib.import_module(f"pulumi.runtime.proto.{name}") for name in PROTOCOL_MODULES]


proto, provider_pb2_grpc, plugin_pb2, engine_pb2, engine_pb2_grpc, status_pb2 = protocol_modules()
# The generated servicer base: every call this provider does not serve answers UNIMPLEMENTED.
ResourceProviderServicer: Any = provider_pb2_grpc.ResourceProviderServicer

USER_ERRORS = (MixpanelError, SettingsError, PipelineInputError)

# --- property maps ---------------------------------------------------------------------------------

# snake_case field <-> camelCase property, from the models (never guessed back from camelCase).
SNAKE_BY_CAMEL: dict[str, str] = {camel(name): name for cls in PIPELINE_CLASSES for name in cls.model_fields}
SNAKE_BY_CAMEL.update({camel(name): name for name in OUTPUT_FIELDS})
CAMEL_BY_SNAKE: dict[str, str] = {snake: camel_name for camel_name, snake in SNAKE_BY_CAMEL.items()}
# Outputs whose values are property names, written in the schema's names too.
NAME_LISTS = frozenset({"unverified_inputs"})
STABLE_PROPERTIES = [camel(name) for name in OUTPUT_FIELDS]


def plain(value: struct_pb2.Value) -> Any:
    """One wire value as a plain Python value (secrets unwrapped, unknowns NOT_KNOWN)."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return NOT_KNOWN if value.string_value == UNKNOWN else value.string_value
    if kind == "struct_value":
        fields = value.struct_value.fields
        signature = fields[SIGNATURE_KEY].string_value if SIGNATURE_KEY in fields else None
        if signature == SECRET_SIGNATURE:
            return plain(fields["value"])
        if signature == OUTPUT_VALUE_SIGNATURE:
            return plain(fields["value"]) if "value" in fields else NOT_KNOWN
        return {key: plain(item) for key, item in fields.items()}
    if kind == "list_value":
        return [plain(item) for item in value.list_value.values]
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    return None


def contains_secret(value: struct_pb2.Value) -> bool:
    """Whether a wire value is, or holds anywhere inside it, a secret."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        fields = value.struct_value.fields
        if SIGNATURE_KEY in fields and fields[SIGNATURE_KEY].string_value == SECRET_SIGNATURE:
            return True
        return any(contains_secret(item) for item in fields.values())
    if kind == "list_value":
        return any(contains_secret(item) for item in value.list_value.values)
    return False


def secret_properties(*structs: struct_pb2.Struct) -> frozenset[str]:
    """The snake_case names of the properties the engine sent as secrets, or with a secret inside:
    what a user marks secret (`fn::secret`, `pulumi.Output.secret`) goes back out secret, whole."""
    return frozenset(
        SNAKE_BY_CAMEL.get(key, key)
        for struct in structs
        for key, value in struct.fields.items()
        if contains_secret(value)
    )


def to_snake(properties: struct_pb2.Struct) -> dict[str, Any]:
    """A resource's camelCase properties as the core's snake_case values (unknown keys kept as given)."""
    values = {SNAKE_BY_CAMEL.get(key, key): plain(value) for key, value in properties.fields.items()}
    for key in NAME_LISTS & values.keys():
        if isinstance(values[key], list):
            values[key] = [SNAKE_BY_CAMEL.get(name, name) for name in values[key]]
    return values


def settings_of(properties: struct_pb2.Struct) -> dict[str, Any]:
    """Provider inputs by setting name; a setting not known yet is left out."""
    return {
        key: value for key, value in ((k, plain(v)) for k, v in properties.fields.items()) if not is_deferred(value)
    }


def wire(value: Any) -> Any:
    """A plain value in the wire encoding, ready for `Struct.update` (unknowns as the sentinel)."""
    if is_deferred(value):
        return UNKNOWN
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [wire(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): wire(item) for key, item in value.items()}
    raise TypeError(f"cannot send a {type(value).__name__} to the engine")


def secret(value: Any) -> dict[str, Any]:
    return {SIGNATURE_KEY: SECRET_SIGNATURE, "value": value}


def to_camel(values: Mapping[str, Any], *, secrets: Iterable[str] = ()) -> struct_pb2.Struct:
    """The core's snake_case values as camelCase properties (`type` left out: the token says it);
    the schema's secret fields and `secrets` (properties that arrived secret) wrapped as secrets."""
    secret_keys = ALL_SECRET_FIELDS | set(secrets)
    encoded: dict[str, Any] = {}
    for key, value in values.items():
        if key == "type" or value is None:
            continue
        if key in NAME_LISTS and isinstance(value, list):
            value = [CAMEL_BY_SNAKE.get(name, name) for name in value]
        encoded[CAMEL_BY_SNAKE.get(key, key)] = secret(wire(value)) if key in secret_keys else wire(value)
    struct = struct_pb2.Struct()
    struct.update(encoded)
    return struct


def state_properties(state: PipelineState, secrets: Iterable[str] = ()) -> struct_pb2.Struct:
    return to_camel(state.values(), secrets=secrets)


_SNAKE_NAMES = re.compile(
    r"\b(" + "|".join(sorted((n for n in CAMEL_BY_SNAKE if "_" in n), key=len, reverse=True)) + r")\b"
)


def camel_text(text: str) -> str:
    """A reason that names other fields, in the schema's names (`to_date` -> `toDate`)."""
    return _SNAKE_NAMES.sub(lambda match: CAMEL_BY_SNAKE[match.group(1)], text)


def camel_path(path: str) -> str:
    """A problem's property path (`glue_database`, `events[1]`) in the schema's names."""
    head, bracket, rest = path.partition("[")
    return CAMEL_BY_SNAKE.get(head, head) + bracket + rest


def check_failures(problems: Iterable[Problem]) -> list[Any]:
    """Problems named by the schema's property names."""
    return [proto.CheckFailure(property=camel_path(p.property), reason=camel_text(p.reason)) for p in problems]


def pipeline_type_of(urn: str) -> str:
    """The pipeline type of a resource URN (`urn:pulumi:stack::project::[parent$]token::name`)."""
    parts = urn.split("::")
    token = parts[-2].rsplit("$", 1)[-1] if len(parts) > 2 else ""
    pipeline_type = TYPE_BY_TOKEN.get(token)
    if pipeline_type is None:
        raise SettingsError(f"the mixpanel provider has no resource {token!r}; it has {', '.join(TYPE_BY_TOKEN)}")
    return pipeline_type


def diff_response(plan: ChangePlan) -> Any:
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


# --- errors and diagnostics --------------------------------------------------------------------------


class PartialFailure(Exception):
    """A create or update that failed after some of its calls landed: the engine records
    `properties` as the resource's state, with the error, and updates it again at the next `up`."""

    def __init__(self, resource_id: str, properties: struct_pb2.Struct, inputs: struct_pb2.Struct, reason: str):
        self.resource_id = resource_id
        self.properties = properties
        self.inputs = inputs
        self.reason = reason
        super().__init__(reason)


def partial_state(failure: PartialFailure) -> tuple[tuple[str, bytes], ...]:
    """The status detail by which a provider tells the engine what a failed create or update left
    (`ErrorResourceInitFailed`), as gRPC trailing metadata."""
    detail = any_pb2.Any()
    detail.Pack(
        proto.ErrorResourceInitFailed(
            id=failure.resource_id, properties=failure.properties, reasons=[failure.reason], inputs=failure.inputs
        )
    )
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=failure.reason, details=[detail])
    return (("grpc-status-details-bin", status.SerializeToString()),)


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
    """A partial failure carries its state; a user error becomes its own message; any other error
    keeps its traceback."""

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
            stack = "".join(traceback.format_tb(error.__traceback__))
            await context.abort(grpc.StatusCode.UNKNOWN, f"{type(error).__name__}: {error}:\n{stack}")

    return wrapper


class EngineLog:
    """Warnings shown by the CLI among the engine's diagnostics, each said once per process."""

    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address
        self._stub: Any = None
        self._said: set[tuple[str, str]] = set()

    async def warn(self, urn: str, message: str) -> None:
        if not self._engine_address or (urn, message) in self._said:
            return
        self._said.add((urn, message))
        if self._stub is None:
            channel = grpc.aio.insecure_channel(self._engine_address, options=GRPC_CHANNEL_OPTIONS)
            self._stub = engine_pb2_grpc.EngineStub(channel)
        try:
            await self._stub.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message=message, urn=urn))
        except grpc.RpcError:
            pass  # a diagnostic that cannot be shown must not fail the operation


# --- the servicer ----------------------------------------------------------------------------------


class MixpanelServicer(ResourceProviderServicer):
    """Every call of the protocol the engine makes to this provider; the others answer UNIMPLEMENTED."""

    def __init__(self, version: str, configuration: ProviderConfiguration, engine_address: str) -> None:
        self._version = version
        self._configuration = configuration
        self._resources = PipelineResources(lambda: configuration.lifecycle)
        self._functions = Functions(lambda: configuration.lifecycle)
        self.engine_log = EngineLog(engine_address)

    # --- the provider itself

    async def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.aio.ServicerContext) -> Any:
        return plugin_pb2.PluginInfo(version=self._version)

    async def GetSchema(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        return proto.GetSchemaResponse(schema=checked_in_schema())

    @_plain_errors
    async def CheckConfig(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        problems = self._configuration.check(settings_of(request.news))
        failures = [proto.CheckFailure(property=p.property, reason=p.reason) for p in problems]
        return proto.CheckResponse(inputs=request.news, failures=failures)

    @_plain_errors
    async def DiffConfig(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        change = self._configuration.change(settings_of(request.olds), settings_of(request.news))
        # The engine asks twice: about the provider itself (of a process not configured yet), then
        # for each of its resources (of the configured one). Said once, with the provider.
        if change.move and not self._configuration.configured:
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
    async def Configure(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        self._configuration.configure(settings_of(request.args))
        return proto.ConfigureResponse(
            acceptSecrets=True, supportsPreview=False, acceptResources=False, acceptOutputs=False
        )

    @_plain_errors
    async def Invoke(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        result = await self._functions.invoke(request.tok, to_snake(request.args))
        struct = struct_pb2.Struct()
        struct.update(wire(result))
        return proto.InvokeResponse(**{"return": struct})  # `return` is a keyword

    async def Cancel(self, request: empty_pb2.Empty, context: grpc.aio.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    # --- resources

    @_plain_errors
    async def Check(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        pipeline_type = pipeline_type_of(request.urn)
        outcome = self._resources.check(pipeline_type, to_snake(request.olds), to_snake(request.news))
        return proto.CheckResponse(
            inputs=to_camel(outcome.inputs, secrets=secret_properties(request.news)),
            failures=check_failures(outcome.problems),
        )

    @_plain_errors
    async def Diff(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        plan = self._resources.diff(
            pipeline_type_of(request.urn),
            request.id,
            to_snake(request.olds),
            to_snake(request.news),
            to_snake(request.old_inputs) if request.old_inputs.fields else None,
        )
        return diff_response(plan)

    @_plain_errors
    async def Create(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        secrets = secret_properties(request.properties)
        try:
            state = await self._resources.create(pipeline_type_of(request.urn), to_snake(request.properties))
        except UpdateInterruptedError as error:
            reached: PipelineState = error.state
            properties = state_properties(reached, secrets)
            raise PartialFailure(reached.resource_id, properties, request.properties, str(error)) from error
        return proto.CreateResponse(id=state.resource_id, properties=state_properties(state, secrets))

    @_plain_errors
    async def Read(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        pipeline_type = pipeline_type_of(request.urn)
        if not request.properties.fields:
            inputs, imported = await self._resources.import_(pipeline_type, request.id)
            return proto.ReadResponse(id=request.id, properties=state_properties(imported), inputs=to_camel(inputs))
        state = await self._resources.read(pipeline_type, request.id, to_snake(request.properties))
        if state is None:  # every pipeline is gone: an empty id tells the engine so
            return proto.ReadResponse(id="", properties=struct_pb2.Struct(), inputs=struct_pb2.Struct())
        warning = self._resources.health_warning(state)
        if warning:
            await self.engine_log.warn(request.urn, warning)
        secrets = secret_properties(request.properties, request.inputs)
        return proto.ReadResponse(
            id=state.resource_id, properties=state_properties(state, secrets), inputs=request.inputs
        )

    @_plain_errors
    async def Update(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        secrets = secret_properties(request.news)
        try:
            state = await self._resources.update(
                pipeline_type_of(request.urn),
                request.id,
                to_snake(request.olds),
                to_snake(request.news),
                to_snake(request.old_inputs) if request.old_inputs.fields else None,
            )
        except UpdateInterruptedError as error:
            # What landed is recorded: a value that was secret before or now stays secret.
            properties = state_properties(error.state, secrets | secret_properties(request.olds))
            raise PartialFailure(request.id, properties, request.news, str(error)) from error
        return proto.UpdateResponse(properties=state_properties(state, secrets))

    @_plain_errors
    async def Delete(self, request: Any, context: grpc.aio.ServicerContext) -> empty_pb2.Empty:
        await self._resources.delete(pipeline_type_of(request.urn), request.id, to_snake(request.properties))
        return empty_pb2.Empty()


def serve(configuration: ProviderConfiguration, version: str, args: Optional[list[str]] = None) -> None:
    """Listen on a free loopback port, print it (the engine reads it), serve until stopped."""
    parser = argparse.ArgumentParser(description="The mixpanel Pulumi provider plugin (a gRPC server)")
    parser.add_argument("engine", nargs="?", default="", help="the Pulumi engine's address")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    known, _ = parser.parse_known_args(args if args is not None else sys.argv[1:])

    async def run() -> None:
        server = grpc.aio.server(options=GRPC_CHANNEL_OPTIONS)
        servicer = MixpanelServicer(version, configuration, engine_address=known.engine)
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


__all__ = [
    "GRPC_CHANNEL_OPTIONS",
    "MixpanelServicer",
    "PartialFailure",
    "camel_path",
    "camel_text",
    "pipeline_type_of",
    "plain",
    "secret_properties",
    "serve",
    "settings_of",
    "to_camel",
    "to_snake",
    "wire",
]
