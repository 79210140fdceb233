"""Field types of the input models: plain values validated strictly, values not known yet let through.

A field accepts a plain value, or a value that is not known yet: an Output in a program, an
Unknown during `pulumi preview`. This layer knows nothing of Pulumi, so each front end
registers its own types of such values (`register_deferred_types`); the plugin uses
`NOT_KNOWN`. Anything else of a wrong type (bytes, Decimal, a dict for a string...) is
refused, never taken for "not known yet".

Type checkers see each field as "the plain type, or something with `.apply`" (a Pulumi
Output), so a program that passes an int for a bucket or misspells a field is flagged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Optional, Protocol, TypeAlias, TypeVar, Union

from pydantic import AfterValidator, BeforeValidator, StrictBool, StrictStr, WrapValidator

from pulumi_mixpanel.core import choices

T = TypeVar("T")


class NotKnownYet:
    """A value that will be known later (the plugin's stand-in for a preview unknown)."""

    def __repr__(self) -> str:
        return "<not known yet>"


NOT_KNOWN = NotKnownYet()
_deferred_types: tuple[type, ...] = (NotKnownYet,)


def register_deferred_types(*types: type) -> None:
    """Declare the front end's types of values that are not known yet."""
    global _deferred_types
    _deferred_types = tuple(dict.fromkeys(_deferred_types + types))


def is_deferred(value: Any) -> bool:
    """True for a value that is not known yet."""
    return isinstance(value, _deferred_types)


def is_known(value: Any) -> bool:
    return value is not None and not is_deferred(value)


def known_text(value: object) -> Optional[str]:
    """The value, if it is a known string (a validated date, enum or text); None otherwise."""
    return value if isinstance(value, str) else None


class DeferredValue(Protocol):
    """What a type checker accepts besides the plain type: anything with `apply` (an Output)."""

    def apply(self, func: Any, /) -> Any: ...


def _pass_deferred(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if is_deferred(value) else handler(value)


_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: "\\d" takes any script's


def _check_date(value: str) -> str:
    if not _DATE_PATTERN.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    return value


def _date_to_string(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value  # a moment, not a day: refused by the string type
    return value.isoformat() if isinstance(value, dt.date) else value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def control_character_in(value: str) -> Optional[str]:
    """The first control character (NUL, CR, LF, ...) in `value`, written U+XXXX, if any."""
    found = next((char for char in value if unicodedata.category(char) == "Cc"), None)
    return None if found is None else f"U+{ord(found):04X}"


def _no_control_characters(value: str) -> str:
    # They would reach Mixpanel inside names, paths and filters (a NUL in a bucket, a line break in a prefix).
    found = control_character_in(value)
    if found:
        raise ValueError(f"must not contain control characters (found {found})")
    return value


def _list_or_absent(value: Any) -> Any:
    """A list from a str, tuple or set (sorted: a set has no order); an empty one is absent."""
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, (set, frozenset)):
        value = sorted(value, key=repr)
    elif isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list) and not value:
        return None
    return value


def _at_least_one(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)) and not value:
        raise ValueError("must list at least one value (an empty list sends nothing)")
    return _list_or_absent(value)


class OneOf:
    """The rule of an enumerated field; its name and values also make the plugin's schema enum."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name = name
        self.choices = tuple(choices)

    def __call__(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(self.choices)}")
        return value


def _choice(name: str, choices: Iterable[str]) -> Any:
    # Runtime only: type checkers see the aliases below as plain text.
    return Deferrable[Annotated[StrictStr, AfterValidator(OneOf(name, choices))]]  # type: ignore[misc]


if TYPE_CHECKING:
    Deferrable: TypeAlias = Union[T, DeferredValue]
    Text: TypeAlias = Union[str, DeferredValue]
    DateString: TypeAlias = Union[str, dt.date, DeferredValue]
    Flag: TypeAlias = Union[bool, DeferredValue]
    # An empty list means "absent" (for events: all events).
    TextList: TypeAlias = Union[
        list[Union[str, DeferredValue]], tuple[str, ...], set[str], frozenset[str], str, DeferredValue
    ]
    # An empty list is refused: Mixpanel needs at least one value.
    NonEmptyTextList: TypeAlias = TextList
    # The API's enumerations: plain strings to a type checker, checked against choices.py at runtime.
    Frequency: TypeAlias = Text
    SchemaType: TypeAlias = Text
    DataSource: TypeAlias = Text
    EventsOnly: TypeAlias = Text
    DataFormat: TypeAlias = Text
    JsonOnly: TypeAlias = Text
    S3Encryption: TypeAlias = Text
    AwsRegion: TypeAlias = Text
    S3RawRegion: TypeAlias = Text
    GcsRegion: TypeAlias = Text
    BigQueryRegion: TypeAlias = Text
    ApiMode: TypeAlias = Text
else:
    Deferrable = Annotated[T, WrapValidator(_pass_deferred)]
    Text = Deferrable[Annotated[StrictStr, AfterValidator(_non_empty), AfterValidator(_no_control_characters)]]
    DateString = Deferrable[Annotated[StrictStr, BeforeValidator(_date_to_string), AfterValidator(_check_date)]]
    Flag = Deferrable[StrictBool]
    TextList = Deferrable[Annotated[Optional[list[Text]], BeforeValidator(_list_or_absent)]]
    NonEmptyTextList = Deferrable[Annotated[list[Text], BeforeValidator(_at_least_one)]]
    Frequency = _choice("Frequency", choices.FREQUENCIES)
    SchemaType = _choice("SchemaType", choices.SCHEMA_TYPES)
    DataSource = _choice("DataSource", choices.DATA_SOURCES)
    EventsOnly = _choice("RawDataSource", ("events",))
    DataFormat = _choice("DataFormat", choices.FILE_FORMATS)
    JsonOnly = _choice("JsonDataFormat", ("json",))
    S3Encryption = _choice("S3Encryption", choices.S3_ENCRYPTIONS)
    AwsRegion = _choice("AwsRegion", choices.AWS_REGIONS)
    S3RawRegion = _choice("S3RawRegion", choices.S3_RAW_REGIONS)
    GcsRegion = _choice("GcsRegion", choices.GCS_REGIONS)
    # Either generation's list; which one applies is a rule of the BigQuery model.
    BigQueryRegion = _choice(
        "BigQueryRegion", dict.fromkeys(choices.BIGQUERY_REGIONS + choices.CLASSIC_BIGQUERY_REGIONS)
    )
    ApiMode = _choice("ApiMode", choices.API_MODES)
