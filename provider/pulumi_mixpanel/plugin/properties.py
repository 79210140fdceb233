"""Property maps of the Pulumi protocol (camelCase PropertyValues) to the core's plain dicts, and back.

Secrets are unwrapped on the way in and wrapped again on the way out for every secret field;
an unknown (computed) value becomes the core's NOT_KNOWN and goes back as the protocol's
unknown sentinel string, because `PropertyValue` in this SDK cannot marshal a computed value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from pulumi_mixpanel.core.lifecycle import OUTPUT_FIELDS
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, NOT_KNOWN, PIPELINE_CLASSES, is_deferred
from pulumi_mixpanel.plugin.schema import camel

# snake_case field <-> camelCase property, from the models (never guessed back from camelCase).
SNAKE_BY_CAMEL: dict[str, str] = {camel(name): name for cls in PIPELINE_CLASSES for name in cls.model_fields}
SNAKE_BY_CAMEL.update({camel(name): name for name in OUTPUT_FIELDS})
CAMEL_BY_SNAKE: dict[str, str] = {snake: camel_name for camel_name, snake in SNAKE_BY_CAMEL.items()}


def plain(value: PropertyValue) -> Any:
    """A PropertyValue as a plain Python value (secrets unwrapped, unknowns NOT_KNOWN)."""
    inner = value.value
    if isinstance(inner, Computed) or (isinstance(inner, str) and inner == UNKNOWN):
        return NOT_KNOWN
    if isinstance(inner, (list, tuple)):
        return [plain(item) for item in inner]
    if isinstance(inner, Mapping):
        return {key: plain(item) for key, item in inner.items()}
    return inner


# Outputs whose values are property names, written in the schema's names too.
NAME_LISTS = frozenset({"unverified_inputs"})


def to_snake(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """A resource's camelCase properties as the core's snake_case values (unknown keys kept as given)."""
    values = {SNAKE_BY_CAMEL.get(key, key): plain(value) for key, value in properties.items()}
    for key in NAME_LISTS & values.keys():
        if isinstance(values[key], list):
            values[key] = [SNAKE_BY_CAMEL.get(name, name) for name in values[key]]
    return values


def settings_values(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Provider inputs by setting name; numbers stay numbers, secrets are unwrapped."""
    return {key: plain(value) for key, value in properties.items() if not isinstance(value.value, Computed)}


def property_value(value: Any, secret: bool = False) -> PropertyValue:
    if is_deferred(value):
        wrapped = PropertyValue(UNKNOWN)
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        wrapped = PropertyValue(value)
    elif isinstance(value, (int, float)):
        wrapped = PropertyValue(float(value))
    elif isinstance(value, (list, tuple)):
        wrapped = PropertyValue([property_value(item) for item in value])
    elif isinstance(value, Mapping):
        wrapped = PropertyValue({str(key): property_value(item) for key, item in value.items()})
    else:
        raise TypeError(f"cannot send a {type(value).__name__} to the engine")
    return wrapped.with_secret(True) if secret else wrapped


def to_camel(values: Mapping[str, Any], *, drop: Iterable[str] = ()) -> dict[str, PropertyValue]:
    """The core's snake_case values as camelCase PropertyValues, secret fields wrapped as secrets."""
    dropped = set(drop)
    renamed = {
        key: [CAMEL_BY_SNAKE.get(name, name) for name in value]
        if key in NAME_LISTS and isinstance(value, list)
        else value
        for key, value in values.items()
    }
    return {
        CAMEL_BY_SNAKE.get(key, key): property_value(value, secret=key in ALL_SECRET_FIELDS)
        for key, value in renamed.items()
        if key not in dropped and value is not None
    }


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
    "plain",
    "property_value",
    "settings_values",
    "to_camel",
    "to_snake",
]
