"""The two kinds of pipeline: schematized (a table per event, or one for all; JSON or parquet
files, or a warehouse) and raw (unaltered JSON events). Each destination family's classes build
on one of these."""

import datetime as dt
from typing import Annotated, Any, ClassVar, Optional

from pydantic import Field

from pulumi_mixpanel.core.errors import Problem
from pulumi_mixpanel.core.models.base import PipelineArgs
from pulumi_mixpanel.core.models.fields import DataFormat, DataSource, EventsOnly, Flag, JsonOnly, SchemaType
from pulumi_mixpanel.core.models.rules import FieldRule


class SchematizedArgs(PipelineArgs):
    schema_type: Annotated[Optional[SchemaType], FieldRule(recoverable=True)] = Field(
        default=None,
        description="`monoschema` (default) loads all events into one table; `multischema` loads every event into "
        "its own table. People data is always exported as monoschema.",
    )
    data_source: Annotated[Optional[DataSource], FieldRule(recoverable=True, narrows_trial=True)] = Field(
        default=None,
        description="`events` (default) exports Mixpanel event data; `people` exports user profile data. A trial "
        "without it exports both, as two pipelines.",
    )
    sync: Annotated[Optional[Flag], FieldRule(recoverable=True, kept_when_unset=True)] = Field(
        default=None,
        description="Keep the exported data in sync with changes in Mixpanel (deletions, late data, imports in the "
        "export window). The current API requires true (the default there); the classic page defaults to false. "
        "Left unset on an existing pipeline, it keeps the pipeline's value.",
    )

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        if self.data_source == "people" and self.schema_type == "multischema":
            found.append(Problem("schema_type", "people data is always exported as monoschema"))
        if self.sync is False and self.resolved_api_mode() == "current":
            found.append(
                Problem("sync", "the current API requires sync=true; set api_mode='classic' to send sync=false")
            )
        return found

    def _type_defaults(self) -> dict[str, Any]:
        return {"schema_type": "monoschema"}

    def _create_time_defaults(self, api_mode: str) -> dict[str, Any]:
        return {"sync": api_mode == "current"}


class FileFormatArgs(SchematizedArgs):
    """Schematized types that write files: JSON (default) or parquet."""

    data_format: Optional[DataFormat] = Field(
        default=None, description="The file format of the exported data: `json` (default) or `parquet`."
    )

    def _type_defaults(self) -> dict[str, Any]:
        return {**super()._type_defaults(), "data_format": "json"}


class WarehouseArgs(SchematizedArgs):
    """BigQuery and Snowflake: the classic page lists `data_format` for them too, JSON only."""

    data_format: Optional[JsonOnly] = Field(
        default=None,
        description="Classic API only: the classic page lists `data_format` as a common parameter; for a warehouse "
        "the only value is `json`. The current API has no such parameter for this type.",
    )

    def problems(self, *, today: Optional[dt.date] = None, check_from_date_window: bool = True) -> list[Problem]:
        found = super().problems(today=today, check_from_date_window=check_from_date_window)
        if self.data_format is not None and self.resolved_api_mode() == "current":
            found.append(
                Problem(
                    "data_format",
                    f"is not a parameter of {self.TYPE} pipelines in the current API; "
                    "remove it (or set api_mode='classic', where only 'json' is allowed)",
                )
            )
        return found


class RawArgs(PipelineArgs):
    SCHEMATIZED: ClassVar[bool] = False

    # A raw export knows one value of each: an import recovers them.
    data_source: Annotated[Optional[EventsOnly], FieldRule(recoverable=True)] = Field(
        default=None, description="Raw exports are events only: `events` (the default)."
    )
    data_format: Annotated[Optional[JsonOnly], FieldRule(recoverable=True)] = Field(
        default=None, description="Raw exports are JSON only: `json` (the default)."
    )

    def _type_defaults(self) -> dict[str, Any]:
        return {"data_source": "events", "data_format": "json"}


__all__ = ["FileFormatArgs", "RawArgs", "SchematizedArgs", "WarehouseArgs"]
