"""What every pipeline has: the common parameters, Mixpanel's rules over them, defaults, names.

Validation reports every problem at once, each naming its property: field types (pydantic)
and the cross-field rules together, whether a model is built in a program
(`AwsPipelineArgs(...)`) or from the inputs the engine sends (`validate_pipeline`). Rules
that need today's date (the six-month window) run only when the caller gives `today`.

Two API modes (see README, "API modes"):
- `current`: requests validate against Mixpanel's OpenAPI description: schematized
  pipelines always send `sync=true` and `schema_type`, `s3_role` is required, a trial sends
  its `from_date` explicitly.
- `classic`: the classic "Data Pipelines API" page: `sync` defaults to false, `s3_role` is
  optional, and Mixpanel-hosted BigQuery (`bq_share_with_group`) and Snowflake
  (`snowflake_share_with`) exist only here.
"""

import datetime as dt
from typing import Annotated, Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from pulumi_mixpanel.core.choices import API_MODES
from pulumi_mixpanel.core.errors import PipelineInputError, Problem
from pulumi_mixpanel.core.models.fields import (
    NOT_KNOWN,
    ApiMode,
    DateString,
    Flag,
    Frequency,
    Text,
    TextList,
    is_deferred,
    known_text,
)
from pulumi_mixpanel.core.models.rules import FieldRule, fields_with, rule_of
from pulumi_mixpanel.core.names import pipeline_name

SIX_MONTHS = 6
TRIAL_DAYS = 30


_input_error: type[PipelineInputError] = PipelineInputError


def register_input_error(error: type[PipelineInputError]) -> None:
    """The error invalid inputs raise; a front end may register a subclass of its own (the
    dynamic resource's is a `pulumi.RunError`, shown by the CLI without a traceback)."""
    global _input_error
    _input_error = error


def input_error() -> type[PipelineInputError]:
    return _input_error


def sent_at_create(cls: "type[PipelineArgs]", name: str) -> bool:
    """Whether create sends the field (provider settings and the pause state it does not)."""
    rule = rule_of(cls, name)
    return not (rule.provider_only or rule.pause)


def trial_start(today: dt.date) -> str:
    """A trial without from_date starts the day before the create call."""
    return (today - dt.timedelta(days=1)).isoformat()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier, clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


class PipelineArgs(BaseModel):
    """Fields common to every pipeline type. Use one of the per-destination subclasses."""

    # Inputs are never echoed in pydantic's own messages: some are secrets. defer_build: a
    # provider process validates one or two types; building all eight schemas at import
    # would double the plugin's start-up.
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, hide_input_in_errors=True, defer_build=True)

    TYPE: ClassVar[str] = ""
    SCHEMATIZED: ClassVar[bool] = True

    trial: Annotated[Optional[Flag], FieldRule(recoverable=True)] = Field(
        default=None,
        description="Create Mixpanel's one-time trial export: all events (and, for schematized types, people) data "
        "for thirty calendar days, starting the day before the call. Default false. A project gets one trial, and "
        "a trial pipeline cannot be deleted before its 30 days are over.",
    )
    from_date: Optional[DateString] = Field(
        default=None,
        description="The starting date of the export window, YYYY-MM-DD, at most six months in the past. "
        "Required unless `trial` is true (a trial defaults to the previous day).",
    )
    to_date: Optional[DateString] = Field(
        default=None,
        description="The ending date of the export window, YYYY-MM-DD. "
        "The export continues indefinitely if it is empty.",
    )
    frequency: Annotated[Optional[Frequency], FieldRule(recoverable=True, unset_means="daily")] = Field(
        default=None,
        description="`daily` (default; at midnight in the project's timezone) or `hourly`. "
        "Only for an indefinite export window (no `to_date`).",
    )
    events: Annotated[Optional[TextList], FieldRule(edit="events", unordered=True, filters_events=True)] = Field(
        default=None,
        description="A whitelist of the events to export (sent as repeated `events` parameters). "
        "All events are exported if none are given; an empty list means the same.",
    )
    where: Annotated[Optional[Text], FieldRule(edit="where", filters_events=True)] = Field(
        default=None,
        description='A selector expression that filters the events, e.g. `properties["plan"] == "pro"`; '
        "only valid when `data_source` is `events`.",
    )
    paused: Annotated[Optional[Flag], FieldRule(pause=True)] = Field(
        default=None,
        description="Pause (true) or resume (false) the pipeline; pausing keeps its history. Default false; "
        "unset on an adopted pipeline, it is left as it is. "
        "A provider setting: not sent with create, applied with Mixpanel's pause and resume.",
    )
    adopt_existing: Annotated[Optional[Flag], FieldRule(provider_only=True)] = Field(
        default=None,
        description="On the resource's first create, take over an existing pipeline of the same name instead of "
        "creating one; its editable settings are then set to the program's. A replacement never takes over a "
        "pipeline. A provider setting, never sent.",
    )
    api_mode: Annotated[Optional[ApiMode], FieldRule(provider_only=True)] = Field(
        default=None,
        description="Which API description requests follow: `current` (Mixpanel's OpenAPI description) or "
        "`classic` (the classic Data Pipelines page). Unset: `classic` for Mixpanel-hosted BigQuery and "
        "Snowflake, `current` otherwise. A provider setting, never sent.",
    )

    # --- validation: every problem at once ---------------------------------------------

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem_at_once(cls, values: Any, handler: Any, info: ValidationInfo) -> Any:
        context = info.context or {}
        today = context.get("today")
        check_window = context.get("check_from_date_window", True)
        try:
            model = handler(values)
        except ValidationError as error:
            problems = _problems_from_pydantic(error, cls)
            problems += _rules_of_the_valid_fields(cls, values, problems, today, check_window)
            raise input_error()(_unique(problems), cls.__name__) from None
        problems = model.problems(today=today, check_from_date_window=check_window)
        if problems:
            raise input_error()(_unique(problems), cls.__name__)
        return model

    def __repr_args__(self) -> Any:
        hidden = set(fields_with(type(self), "secret"))
        return [(name, value) for name, value in super().__repr_args__() if name not in hidden]

    # --- rules -------------------------------------------------------------------------

    def resolved_api_mode(self) -> Optional[str]:
        """`current` or `classic`; None while `api_mode` is not known yet."""
        if is_deferred(self.api_mode):
            return None
        mode = known_text(self.api_mode)
        if mode in API_MODES:
            return mode
        return "classic" if self._uses_mixpanel_hosted_destination() else "current"

    def _uses_mixpanel_hosted_destination(self) -> bool:
        return False

    def data_sources(self) -> Optional[list[str]]:
        """The data sources this create exports, one pipeline each; None while not known."""
        data_source = getattr(self, "data_source", None)
        if not self.SCHEMATIZED:
            return ["events"]
        if is_deferred(data_source) or (data_source is None and is_deferred(self.trial)):
            return None
        if known_text(data_source):
            return [str(data_source)]
        return ["events", "people"] if self.trial is True else ["events"]

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        """Every cross-field rule the values break (field types are pydantic's job).

        Values not known yet are skipped. Without `today`, the rules about today's date wait.
        """
        found: list[Problem] = []
        if self.from_date is None and self.trial is not True and not is_deferred(self.trial):
            found.append(Problem("from_date", "is required unless trial is true"))
        from_date, to_date = known_text(self.from_date), known_text(self.to_date)
        starts = from_date
        if self.from_date is None and self.trial is True and today is not None:
            starts = trial_start(today)
        if starts and to_date and to_date < starts:
            found.append(Problem("to_date", f"{to_date} is before the export starts ({starts})"))
        if today is not None and check_from_date_window and from_date:
            earliest = months_before(today, SIX_MONTHS)
            # The limit holds for trials too: a trial only changes the default (yesterday).
            if from_date < earliest.isoformat():
                found.append(Problem("from_date", f"{from_date} is more than six months ago (earliest is {earliest})"))
            if from_date > today.isoformat():
                found.append(Problem("from_date", f"{from_date} is in the future (today is {today})"))
        if self.to_date is not None and self.frequency is not None:
            found.append(
                Problem("frequency", "applies only to an export without to_date (one that never ends); remove it")
            )
        sources = self.data_sources()
        if sources is not None and "events" not in sources:
            # A people pipeline exports profiles: an event filter would be stored but never sent.
            for name in fields_with(type(self), "filters_events"):
                if getattr(self, name) is not None:
                    found.append(Problem(name, "filters events, so it needs data_source 'events'"))
        return found

    # --- values as stored and sent -------------------------------------------------------

    def with_defaults(self) -> "PipelineArgs":
        """A copy with Mixpanel's defaults written in, so state shows the effective values.

        Only defaults both API documents agree on; create-time defaults wait for create.
        """
        defaults: dict[str, Any] = {"trial": False, "adopt_existing": False}
        if self.adopt_existing is not True and not is_deferred(self.adopt_existing):
            # An adopted pipeline may be paused: left unset, it stays as it is.
            defaults["paused"] = False
        mode = self.resolved_api_mode()
        if mode is not None:
            defaults["api_mode"] = mode
        if self.to_date is None:
            defaults["frequency"] = "daily"
        defaults.update(self._type_defaults())
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return self.model_copy(update=filled)

    def _type_defaults(self) -> dict[str, Any]:
        return {}

    def _create_time_defaults(self, api_mode: str) -> dict[str, Any]:
        return {}

    def request_values(self) -> "PipelineArgs":
        """`with_defaults`, plus what create decides when the program leaves it open."""
        values = self.with_defaults()
        mode = values.resolved_api_mode() or "current"
        filled = {k: v for k, v in self._create_time_defaults(mode).items() if getattr(values, k) is None}
        return values.model_copy(update=filled)

    def request_fields(self, *, today: dt.date) -> list[tuple[str, Any]]:
        """The create request's fields, in a stable order; lists become repeated keys later."""
        values = self.request_values()
        fields: list[tuple[str, Any]] = [("type", self.TYPE)]
        for name in type(self).model_fields:
            if not sent_at_create(type(self), name) or name == "type":
                continue
            value = getattr(values, name)
            if value is not None:
                fields.append((name, value))
        if values.resolved_api_mode() == "current" and values.trial is True and values.from_date is None:
            # The OpenAPI requires from_date; send the one Mixpanel would pick.
            fields.append(("from_date", trial_start(today)))
        return fields

    def expected_pipeline_names(self) -> list[str]:
        """The names Mixpanel gives this create's pipelines, in the order it returns them."""
        values = self.with_defaults()
        sources = values.data_sources() or ["events"]
        return [
            pipeline_name(
                self.TYPE,
                source,
                known_text(values.frequency) or "daily",
                trial=values.trial is True,
                schema_type=known_text(getattr(values, "schema_type", None)),
            )
            for source in sources
        ]


# --- problems from pydantic, and the rules that still apply ----------------------------------

_MAX_SHOWN_INPUT = 80


def _problems_from_pydantic(error: ValidationError, cls: "type[PipelineArgs]") -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False, include_context=False):
        location = [part for part in detail["loc"] if isinstance(part, int) or part in cls.model_fields]
        prop = str(location[0]) if location else "type"
        if len(location) > 1 and isinstance(location[1], int):
            prop = f"{prop}[{location[1]}]"
        kind = detail["type"]
        if kind == "extra_forbidden":
            field = str(detail["loc"][0]) if detail["loc"] else prop
            problems.append(Problem(field, f"is not a parameter of {cls.TYPE or 'these'} pipelines"))
            continue
        if kind == "missing":
            reason = f"is required for {cls.TYPE} pipelines"
        else:
            reason = str(detail["msg"]).removeprefix("Value error, ")
            shown = detail.get("input")
            root = prop.split("[")[0]
            if (
                not (root in cls.model_fields and rule_of(cls, root).secret)
                and not isinstance(shown, (dict, list))
                and "is not one of" not in reason
            ):
                text = repr(shown) if not isinstance(shown, (bytes, bytearray)) else f"bytes {shown!r}"
                if len(text) > _MAX_SHOWN_INPUT:
                    text = text[: _MAX_SHOWN_INPUT - 3] + "..."
                reason += f" (got {text})"
        if all(problem.property != prop for problem in problems):  # one type failure per property
            problems.append(Problem(prop, reason))
    return problems


def _rules_of_the_valid_fields(
    cls: "type[PipelineArgs]", values: Any, found: list[Problem], today: Optional[dt.date], check_window: bool
) -> list[Problem]:
    """The cross-field rules, with each broken field standing as "not known yet".

    So one preview shows every problem, and a broken field causes no second, misleading one
    (an invalid share is not also "no destination given").
    """
    if not isinstance(values, dict):
        return []
    broken = {problem.property.split("[")[0] for problem in found}
    known: dict[str, Any] = {k: (NOT_KNOWN if k in broken else v) for k, v in values.items() if k in cls.model_fields}
    partial = cls.model_construct(**known)
    return [p for p in partial.problems(today=today, check_from_date_window=check_window) if p.property not in broken]


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
