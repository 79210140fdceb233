"""Simulated export tasks, derived from a pipeline and the clock (nothing is stored).

One task per day (daily) or hour (hourly) of the export window, for every period that has
begun by "now". Periods are UTC (the emulator's project timezone). Tasks run one at a time,
RUN_TIME each, as Mixpanel runs one step at a time: the backlog (periods already over when
the pipeline was created) starts DISPATCH_DELAY after creation; every later period's task
starts DISPATCH_DELAY after its period ends, or when the task before it finishes if that is
later. A task is pending before it starts, running for RUN_TIME, then succeeded. While a
pipeline is paused no task starts; tasks due during a pause start when it is resumed.
Only the most recent MAX_TASKS tasks are reported, so answers stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import UTC, format_jobs_time, format_sync_time, format_task_time
from .state import Pipeline

DISPATCH_DELAY = timedelta(seconds=60)
RUN_TIME = timedelta(seconds=300)
MAX_TASKS = 30
TASK_STATES = ("pending", "running", "retried", "failed", "canceled", "timed_out", "succeeded")
# What Mixpanel shows as last_finish for a task that has not finished (Go's zero time, in Pacific).
NOT_FINISHED = "0000-12-31T16:00:00-08:00"


@dataclass(frozen=True)
class Task:
    period_start: datetime
    period_end: datetime
    scheduled_start: datetime
    start: datetime | None  # None: held back by a pause that has not ended

    @property
    def finish(self) -> datetime | None:
        return None if self.start is None else self.start + RUN_TIME

    def state(self, now: datetime) -> str:
        if self.start is None or now < self.start:
            return "pending"
        if now < self.start + RUN_TIME:
            return "running"
        return "succeeded"


def period_length(frequency: str) -> timedelta:
    return timedelta(hours=1) if frequency == "hourly" else timedelta(days=1)


def pipeline_tasks(pipeline: Pipeline, now: datetime) -> list[Task]:
    period = period_length(pipeline.frequency)
    window_start = datetime.combine(pipeline.from_date, datetime.min.time(), UTC)
    if now < window_start:
        return []
    count = (now - window_start) // period + 1  # periods begun by now
    window_end = pipeline.window_end()
    if window_end is not None:
        count = min(count, -(-(window_end - window_start) // period))
    created = pipeline.created_at
    backlog = min(count, max(0, (created - window_start) // period))  # periods over at creation
    backlog_end = created + DISPATCH_DELAY + backlog * RUN_TIME
    tasks = []
    for index in range(max(0, count - MAX_TASKS), count):
        period_start = window_start + index * period
        period_end = period_start + period
        if index < backlog:
            scheduled = created + DISPATCH_DELAY + index * RUN_TIME
        else:
            # The closed form of "when due, or when the previous task finishes": periods are
            # longer than RUN_TIME, so only the backlog can hold a later task back.
            scheduled = max(period_end + DISPATCH_DELAY, backlog_end + (index - backlog) * RUN_TIME)
        tasks.append(Task(period_start, period_end, scheduled, _after_pauses(scheduled, pipeline.pause_intervals)))
    return tasks


def _after_pauses(start: datetime, pause_intervals: list) -> datetime | None:
    for paused_at, resumed_at in pause_intervals:
        if paused_at <= start and (resumed_at is None or start < resumed_at):
            return resumed_at
    return start


def task_view(pipeline: Pipeline, task: Task, now: datetime) -> dict:
    state = task.state(now)
    # Daily tasks show the day as both bounds (as in the classic doc); hourly ones the hour.
    to_date = task.period_start if pipeline.frequency == "daily" else task.period_end
    return {
        "name": pipeline.name,
        "state": state,
        "last_finish": format_task_time(task.finish) if task.finish and state == "succeeded" else NOT_FINISHED,
        "run_at": format_task_time(task.start or task.scheduled_start),
        "from_date": format_task_time(task.period_start),
        "to_date": format_task_time(to_date),
    }


def status_view(pipeline: Pipeline, now: datetime, summary: bool, states: list[str]) -> dict:
    grouped: dict[str, list[dict]] = {}
    for task in pipeline_tasks(pipeline, now):
        view = task_view(pipeline, task, now)
        if not states or view["state"] in states:
            grouped.setdefault(view["state"], []).append(view)
    if summary:
        return {state: len(tasks) for state, tasks in grouped.items()}
    return grouped


def timeline_view(pipeline: Pipeline, now: datetime) -> dict:
    days: dict[str, list[datetime]] = {}
    for task in pipeline_tasks(pipeline, now):
        if task.finish is not None and task.state(now) == "succeeded":
            days.setdefault(task.period_start.date().isoformat(), []).append(task.finish)
    return {
        "day_syncs": [
            {"date": day, "sync_times": [format_sync_time(finish) for finish in sorted(finishes)], "status": "synced"}
            for day, finishes in sorted(days.items())
        ]
    }


def jobs_entry(pipeline: Pipeline, now: datetime) -> dict:
    started = [task.start for task in pipeline_tasks(pipeline, now) if task.start is not None and task.start <= now]
    return {
        "name": pipeline.name,
        "Dispatcher": "recurring" if pipeline.recurring else "backfill",
        "last_dispatched": format_jobs_time(max(started, default=pipeline.created_at)),
        "frequency": pipeline.frequency,
        "sync_enabled": "true" if pipeline.sync else "false",
    }
