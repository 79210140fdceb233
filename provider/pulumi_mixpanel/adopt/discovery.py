"""The project's pipelines, grouped by the create that made them, with what can be recovered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_mixpanel.core.choices import SCHEMATIZED_TYPES
from pulumi_mixpanel.core.client import MixpanelClient
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle, recovered_inputs
from pulumi_mixpanel.core.models import NOT_KNOWN, class_for, validate_pipeline
from pulumi_mixpanel.core.names import PipelineName, id_from_names, parse_pipeline_name


@dataclass
class Found:
    """One resource to adopt: the pipelines one create made, and what is known of them."""

    pipeline_type: str
    names: list[str]
    inputs: dict[str, Any]  # recovered from the names and the jobs listing (API names)
    todo: list[str]  # inputs Mixpanel cannot return, that the program must give
    earliest_day: Optional[str] = None  # the oldest day the pipeline's tasks exported

    @property
    def resource_id(self) -> str:
        return id_from_names(self.names)

    @property
    def resource_name(self) -> str:
        if len(self.names) == 1:
            return self.names[0]
        first = parse_pipeline_name(self.names[0])
        assert first is not None
        suffix = f"-{first.schema_type}" if first.schema_type else ""
        return f"trial-{first.frequency}-{first.type}{suffix}"


@dataclass
class Discovery:
    found: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names of another shape than Mixpanel's


def discover(lifecycle: PipelineLifecycle, today: dt.date) -> Discovery:
    listing = lifecycle.jobs_listing()
    parsed = {name: parse_pipeline_name(name) for name in sorted(listing.entries)}
    discovery = Discovery(skipped=[name for name, parts in parsed.items() if parts is None])
    for names in _groups({name: parts for name, parts in parsed.items() if parts is not None}):
        first = parse_pipeline_name(names[0])
        assert first is not None
        inputs = recovered_inputs(id_from_names(names), first.type, listing)
        inputs = {key: value for key, value in inputs.items() if key not in ("type", "adopt_existing")}
        if inputs.get("sync") is False:
            inputs["api_mode"] = "classic"  # the current API requires sync=true
        todo = _todo(first.type, inputs, today, bounded=listing.is_backfill(names))
        discovery.found.append(Found(first.type, names, inputs, todo, _earliest_day(lifecycle.client(), names)))
    return discovery


def _groups(parsed: dict[str, PipelineName]) -> list[list[str]]:
    """A trial's events and people pipelines are one create, so one resource; others alone."""
    groups: list[list[str]] = []
    taken: set[str] = set()
    for name, parts in parsed.items():
        if name in taken:
            continue
        group = [name]
        if parts.trial and parts.data_source == "events" and parts.type in SCHEMATIZED_TYPES:
            partner = str(PipelineName(parts.type, "people", parts.frequency, True, "monoschema"))
            if partner in parsed:
                group.append(partner)
        taken.update(group)
        groups.append(group)
    return groups


def _todo(pipeline_type: str, recovered: dict[str, Any], today: dt.date, *, bounded: bool) -> list[str]:
    """The inputs the rules still require, found by the models' own rules: each missing input
    is marked "not known", which lets the next rule (e.g. a partner field) speak. A bounded
    export (a backfill) also needs its end: without it the program would say it never ends, and
    writing it in later would replace the pipeline."""
    values: dict[str, Any] = {"type": pipeline_type, **recovered}
    todo: list[str] = ["to_date"] if bounded else []
    for _ in range(10):
        _, problems = validate_pipeline(values, today=today, check_from_date_window=False)
        missing = [p.property for p in problems if values.get(p.property) is None and "[" not in p.property]
        if not missing:
            break
        for name in missing:
            values[name] = NOT_KNOWN
            todo.append(name)
    cls = class_for(pipeline_type)
    order = list(cls.model_fields) if cls else []
    return sorted(dict.fromkeys(todo), key=lambda name: order.index(name) if name in order else len(order))


def _earliest_day(client: MixpanelClient, names: list[str]) -> Optional[str]:
    days = []
    for name in names:
        try:
            tasks = client.status(name)
        except Exception:
            continue
        for entries in tasks.values():
            for task in entries if isinstance(entries, list) else []:
                if isinstance(task, dict) and isinstance(task.get("from_date"), str):
                    days.append(task["from_date"][:10])
    return min(days) if days else None
