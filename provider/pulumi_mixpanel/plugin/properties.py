"""Property maps of the Pulumi protocol (camelCase `Struct`s) to the core's plain dicts, and back.

The engine sends a resource's properties as a protobuf `Struct` in Pulumi's wire encoding; the
core wants plain snake_case values. They are converted directly, without the SDK's
`PropertyValue` in between: that intermediate object model cost 0.1-0.25 ms of CPU per call
(measured on the benchmark's machine), and it cannot encode an unknown value anyway.

- A secret arrives wrapped (`{sig: secret, value: …}`) and is unwrapped; every secret field is
  wrapped again on the way out.
- An unknown (computed) value, the protocol's sentinel string, is the core's NOT_KNOWN, and goes
  back as the sentinel.
- An output value (sent only to providers that accept outputs; this one does not) is its value
  when known, NOT_KNOWN otherwise. Assets, archives and resource references are not inputs of
  any pipeline and are passed on as given, for validation to refuse by property name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import struct_pb2
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN
from pulumi.runtime.rpc import _special_output_value_sig as OUTPUT_VALUE_SIGNATURE
from pulumi.runtime.rpc import _special_secret_sig as SECRET_SIGNATURE
from pulumi.runtime.rpc import _special_sig_key as SIGNATURE_KEY

from pulumi_mixpanel.core.lifecycle import OUTPUT_FIELDS
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, NOT_KNOWN, PIPELINE_CLASSES, is_deferred
from pulumi_mixpanel.plugin.schema import camel

# snake_case field <-> camelCase property, from the models (never guessed back from camelCase).
SNAKE_BY_CAMEL: dict[str, str] = {camel(name): name for cls in PIPELINE_CLASSES for name in cls.model_fields}
SNAKE_BY_CAMEL.update({camel(name): name for name in OUTPUT_FIELDS})
CAMEL_BY_SNAKE: dict[str, str] = {snake: camel_name for camel_name, snake in SNAKE_BY_CAMEL.items()}

# Outputs whose values are property names, written in the schema's names too.
NAME_LISTS = frozenset({"unverified_inputs"})


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


def settings_values(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Provider inputs by setting name, as the SDK hands them to `configure`; numbers stay
    numbers, secrets are unwrapped (a PropertyValue holds a secret's value), and a setting not
    known yet is left out."""
    return {key: _setting(value) for key, value in properties.items() if not isinstance(value.value, Computed)}


def _setting(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, (list, tuple)):
        return [_setting(item) for item in inner]
    if isinstance(inner, Mapping):
        return {key: _setting(item) for key, item in inner.items()}
    return inner


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


def to_camel(values: Mapping[str, Any], *, drop: Iterable[str] = (), secrets: Iterable[str] = ()) -> struct_pb2.Struct:
    """The core's snake_case values as camelCase properties; the schema's secret fields and
    `secrets` (properties that arrived secret) wrapped as secrets."""
    dropped = set(drop)
    secret_keys = ALL_SECRET_FIELDS | set(secrets)
    encoded: dict[str, Any] = {}
    for key, value in values.items():
        if key in dropped or value is None:
            continue
        if key in NAME_LISTS and isinstance(value, list):
            value = [CAMEL_BY_SNAKE.get(name, name) for name in value]
        encoded[CAMEL_BY_SNAKE.get(key, key)] = secret(wire(value)) if key in secret_keys else wire(value)
    struct = struct_pb2.Struct()
    struct.update(encoded)
    return struct


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


__all__ = [
    "camel_path",
    "camel_text",
    "contains_secret",
    "plain",
    "secret_properties",
    "settings_values",
    "to_camel",
    "to_snake",
    "wire",
]
