"""Reads a program makes of a project (the functions `getPipelines` and `getPipelineStatus`): what
the project already has, and how one pipeline is doing. Reads only: a preview may make them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from pulumi_mixpanel.core.health import RECENT_DAYS, Health, Task, counts_of, health_of, tasks_of
from pulumi_mixpanel.core.names import parse_pipeline_name

if TYPE_CHECKING:
    from pulumi_mixpanel.core.lifecycle.operations import PipelineLifecycle

RECENT_TASKS_SHOWN = 50


@dataclass(frozen=True)
class PipelineSummary:
    """One pipeline of the project, as its jobs entry and its name tell."""

    name: str
    type: Optional[str]  # None for a name of another shape than Mixpanel's
    data_source: Optional[str]
    frequency: Optional[str]
    schema_type: Optional[str]
    trial: bool
    recurring: bool  # false: a backfill of a bounded window
    sync_enabled: Optional[bool]
    last_dispatched: Optional[str]


@dataclass(frozen=True)
class TaskSummary:
    state: str
    from_date: Optional[str]
    to_date: Optional[str]
    run_at: Optional[str]
    last_finish: Optional[str]  # None until the task has ended


@dataclass(frozen=True)
class PipelineStatus:
    name: str
    counts: dict[str, int]
    health: Health
    tasks: list[TaskSummary] = field(default_factory=list)  # the recent ones, newest first


def list_pipelines(lifecycle: PipelineLifecycle) -> list[PipelineSummary]:
    listing = lifecycle.jobs.fresh()
    pipelines = []
    for name in sorted(listing.entries):
        entry, parsed = listing.entries[name], parse_pipeline_name(name)
        dispatched = entry.get("last_dispatched")
        pipelines.append(
            PipelineSummary(
                name=name,
                type=parsed.type if parsed else None,
                data_source=parsed.data_source if parsed else None,
                frequency=str(entry.get("frequency") or (parsed.frequency if parsed else "")) or None,
                schema_type=parsed.schema_type if parsed else None,
                trial=parsed.trial if parsed else False,
                recurring=not listing.is_backfill([name]),
                sync_enabled=listing.reported_sync([name]),
                last_dispatched=dispatched if isinstance(dispatched, str) else None,
            )
        )
    return pipelines


def pipeline_status(lifecycle: PipelineLifecycle, name: str) -> PipelineStatus:
    """Task counts by state, health and the recent tasks of the pipeline `name` (the status call).

    The pipeline's inputs are not known here: a paused pipeline shows as what its tasks say, and
    a bounded one as `exporting` until its tasks say more.
    """
    tasks = tasks_of(lifecycle.client().status(name))
    health = health_of(tasks, paused=False, to_date=None, today=lifecycle.today())
    started = [task.run_at for task in tasks if task.run_at is not None]
    since = max(started) - dt.timedelta(days=RECENT_DAYS) if started else None
    recent = [task for task in tasks if since is None or (task.run_at is not None and task.run_at >= since)]
    recent.sort(key=lambda task: task.run_at or since or dt.datetime.min.replace(tzinfo=dt.timezone.utc), reverse=True)
    shown = [_summary(task) for task in recent][:RECENT_TASKS_SHOWN]
    return PipelineStatus(name, counts_of(tasks), health, shown)


def _summary(task: Task) -> TaskSummary:
    return TaskSummary(
        task.state,
        task.from_date.isoformat() if task.from_date else None,
        task.to_date.isoformat() if task.to_date else None,
        task.run_at.isoformat() if task.run_at else None,
        task.last_finish.isoformat() if task.last_finish else None,
    )


__all__ = ["PipelineStatus", "PipelineSummary", "TaskSummary", "list_pipelines", "pipeline_status"]
