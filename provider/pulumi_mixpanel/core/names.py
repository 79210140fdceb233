"""Pipeline names, built and parsed in one place.

Mixpanel names a pipeline `[trial-]<data_source>-<frequency>-<type>[-<schema_type>]`
(e.g. `events-daily-bigquery-monoschema`, `trial-people-daily-bigquery-monoschema`,
`events-hourly-gcs-raw`), and a name "uniquely identifies the pipeline". A resource's id is
the names of the pipelines one create made, joined with "," in the order Mixpanel returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional

from pulumi_mixpanel.core.choices import DATA_SOURCES, FREQUENCIES, PIPELINE_TYPES, SCHEMA_TYPES, SCHEMATIZED_TYPES

ID_SEPARATOR = ","
TRIAL_PREFIX = "trial-"


@dataclass(frozen=True)
class PipelineName:
    type: str
    data_source: str
    frequency: str
    trial: bool = False
    schema_type: Optional[str] = None  # None for raw types

    def __str__(self) -> str:
        name = f"{TRIAL_PREFIX if self.trial else ''}{self.data_source}-{self.frequency}-{self.type}"
        return f"{name}-{self.schema_type}" if self.schema_type else name


def pipeline_name(
    pipeline_type: str, data_source: str, frequency: str, *, trial: bool, schema_type: Optional[str]
) -> str:
    """The name Mixpanel gives one pipeline; people data is always monoschema."""
    if pipeline_type in SCHEMATIZED_TYPES:
        schema_type = "monoschema" if data_source == "people" else (schema_type or "monoschema")
    else:
        schema_type = None
    return str(PipelineName(pipeline_type, data_source, frequency, trial, schema_type))


def parse_pipeline_name(name: str) -> Optional[PipelineName]:
    """The parts of a name Mixpanel generated, or None for a name of another shape."""
    trial = name.startswith(TRIAL_PREFIX)
    rest = name[len(TRIAL_PREFIX) :] if trial else name
    parts = rest.split("-", 2)
    if len(parts) != 3 or parts[0] not in DATA_SOURCES or parts[1] not in FREQUENCIES:
        return None
    data_source, frequency, tail = parts
    # Longest first: "gcs-schema" must not be read as "gcs" + "-schema".
    for pipeline_type in sorted(PIPELINE_TYPES, key=len, reverse=True):
        if tail == pipeline_type and pipeline_type not in SCHEMATIZED_TYPES:
            return PipelineName(pipeline_type, data_source, frequency, trial)
        if pipeline_type in SCHEMATIZED_TYPES and tail.startswith(pipeline_type + "-"):
            schema_type = tail[len(pipeline_type) + 1 :]
            if schema_type in SCHEMA_TYPES:
                return PipelineName(pipeline_type, data_source, frequency, trial, schema_type)
    return None


def is_people_pipeline(name: str) -> bool:
    parsed = parse_pipeline_name(name)
    return parsed is not None and parsed.data_source == "people"


def names_from_id(resource_id: str) -> list[str]:
    return [name.strip() for name in resource_id.split(ID_SEPARATOR) if name.strip()]


def id_from_names(names: Iterable[str]) -> str:
    return ID_SEPARATOR.join(names)
