"""Simulated export tasks, derived from a pipeline and the clock (nothing is stored).

One task per day (daily) or hour (hourly) of the export window, for every period that has
begun by "now". Periods are UTC (the emulator's project timezone). Tasks run one at a time, as
Mixpanel runs one step at a time: a task is due DISPATCH_DELAY after its period ends (the
backlog, periods already over when the pipeline was created, DISPATCH_DELAY after creation)
and starts when due or when the task before it finishes, whichever is later. While a pipeline
is paused no task starts; tasks due during a pause start, one after another, once it resumes.

A task ends as the pipeline's task outcome in effect when it starts (see state.py):
- succeeded: running for RUN_TIME, then succeeded;
- failed: running for RUN_TIME, retried while it waits RETRY_DELAY, running again for
  RUN_TIME, then failed;
- timed_out: running for TIMEOUT, then timed_out.
Failed and timed-out tasks take longer, so they hold the tasks after them back longer: a
backlog takes longer to clear, and an hourly pipeline whose tasks time out (TIMEOUT is a whole
period) never catches up with a delay it already has.

The schedule is closed-form, not simulated task by task from the start of the window (an
hourly window can hold thousands of tasks). Between two events (an outcome change, the start
of a pause, the end of the backlog) every task has the same duration D and is due one period
after the one before it (or, in the backlog, at the same time), so the n-th task after one that
started at s starts at max(its due time, s + n * D): the window is a few runs of tasks, each
computed directly. Only the most recent MAX_TASKS tasks are reported, so answers stay small.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import UTC, format_jobs_time, format_sync_time, format_task_time
from .state import Pipeline

DISPATCH_DELAY = timedelta(seconds=60)
RUN_TIME = timedelta(seconds=300)
RETRY_DELAY = timedelta(minutes=10)  # a failed attempt waits this long, in state retried, before its retry
TIMEOUT = timedelta(hours=1)  # how long a task that times out runs
# How long a task runs from its first start until it ends, by how it ends.
TASK_DURATIONS = {
    "succeeded": RUN_TIME,
    "failed": RUN_TIME + RETRY_DELAY + RUN_TIME,
    "timed_out": TIMEOUT,
}
MAX_TASKS = 30
TASK_STATES = ("pending", "running", "retried", "failed", "canceled", "timed_out", "succeeded")
# What Mixpanel shows as last_finish for a task that has not finished (Go's zero time, in Pacific).
NOT_FINISHED = "0000-12-31T16:00:00-08:00"


@dataclass(frozen=True)
class Task:
    period_start: datetime
    period_end: datetime
    scheduled_start: datetime  # when it would start but for a pause that has not ended
    start: datetime | None  # None: held back by a pause that has not ended
    outcome: str  # how it ends: the pipeline's task outcome when it starts

    @property
    def finish(self) -> datetime | None:
        return None if self.start is None else self.start + TASK_DURATIONS[self.outcome]

    @property
    def retry_start(self) -> datetime | None:
        """When a failing task's second attempt starts."""
        if self.start is None or self.outcome != "failed":
            return None
        return self.start + RUN_TIME + RETRY_DELAY

    def state(self, now: datetime) -> str:
        if self.start is None or now < self.start:
            return "pending"
        finish = self.finish
        assert finish is not None
        if now >= finish:
            return self.outcome
        retry_start = self.retry_start
        if retry_start is not None and self.start + RUN_TIME <= now < retry_start:
            return "retried"
        return "running"

    def run_at(self, now: datetime) -> datetime:
        """When its latest attempt started, or is to start: a failing task's retry once it is retried."""
        if self.start is None:
            return self.scheduled_start
        retry_start = self.retry_start
        if retry_start is not None and now >= self.start + RUN_TIME:
            return retry_start
        return self.start

    def dispatched_at(self, now: datetime) -> datetime | None:
        """When its latest attempt that has started by `now` started (None if none has)."""
        if self.start is None or now < self.start:
            return None
        retry_start = self.retry_start
        return retry_start if retry_start is not None and retry_start <= now else self.start


def period_length(frequency: str) -> timedelta:
    return timedelta(hours=1) if frequency == "hourly" else timedelta(days=1)


@dataclass(frozen=True)
class _Run:
    """Tasks first_index .. first_index + count - 1, which all start before the next event and
    so share one duration: the n-th of them starts at max(its due time, first_start + n * duration)."""

    first_index: int
    count: int
    first_start: datetime
    first_due: datetime
    due_step: timedelta  # the period, or zero in the backlog, where every task is due at once
    duration: timedelta
    outcome: str

    def start(self, n: int) -> datetime:
        return max(self.first_due + n * self.due_step, self.first_start + n * self.duration)


class Schedule:
    """Every task of a pipeline's export window that has begun by `now`, and when each starts."""

    def __init__(self, pipeline: Pipeline, now: datetime):
        self.pipeline = pipeline
        self.period = period_length(pipeline.frequency)
        self.window_start = datetime.combine(pipeline.from_date, datetime.min.time(), UTC)
        count = 0 if now < self.window_start else (now - self.window_start) // self.period + 1  # periods begun
        window_end = pipeline.window_end()
        if window_end is not None:
            count = min(count, -(-(window_end - self.window_start) // self.period))
        self.count = count
        # Periods already over at creation: all due at once, DISPATCH_DELAY after creation.
        self.backlog = min(count, max(0, (pipeline.created_at - self.window_start) // self.period))
        self.runs: list[_Run] = []
        # Tasks from held_from on wait for a pause that has not ended; the first became ready at held_since.
        self.held_from = count
        self.held_since = pipeline.created_at
        self._plan()

    def due(self, index: int) -> datetime:
        period_end = self.window_start + (index + 1) * self.period
        return max(period_end, self.pipeline.created_at) + DISPATCH_DELAY

    def _plan(self) -> None:
        pipeline = self.pipeline
        # Where the duration of the next task may change, or a task may be held back.
        events = sorted(
            {change.since for change in pipeline.task_outcome_history}
            | {paused_at for paused_at, _ in pipeline.pause_intervals if paused_at is not None}
        )
        index = 0
        ready = self.due(0)  # when task `index` is due and the one before it has finished
        while index < self.count:
            start = _after_pauses(ready, pipeline.pause_intervals)
            if start is None:
                self.held_from, self.held_since = index, ready
                return
            outcome = pipeline.task_outcome_at(start)
            duration = TASK_DURATIONS[outcome]
            due = self.due(index)
            in_backlog = index < self.backlog
            due_step = timedelta(0) if in_backlog else self.period
            last = (self.backlog if in_backlog else self.count) - 1 - index  # the run's last n
            next_event = next((moment for moment in events if moment > start), None)
            if next_event is not None:
                # Only tasks that start before the next event share this task's formula.
                last = min(last, _ceil_div(next_event - start, duration) - 1)
                if due_step:
                    last = min(last, _ceil_div(next_event - due, due_step) - 1)
            run = _Run(index, last + 1, start, due, due_step, duration, outcome)
            self.runs.append(run)
            index += run.count
            ready = max(self.due(index), run.start(last) + duration)

    def task(self, index: int) -> Task:
        period_start = self.window_start + index * self.period
        period_end = period_start + self.period
        if index >= self.held_from:
            scheduled = max(self.due(index), self.held_since)
            return Task(period_start, period_end, scheduled, None, self.pipeline.task_outcome)
        run = self.runs[bisect.bisect_right(self.runs, index, key=lambda run: run.first_index) - 1]
        start = run.start(index - run.first_index)
        return Task(period_start, period_end, start, start, run.outcome)

    def reported(self) -> list[Task]:
        return [self.task(index) for index in range(max(0, self.count - MAX_TASKS), self.count)]

    def last_started(self, now: datetime) -> Task | None:
        """The latest task that has started by `now`, reported or not."""
        for run in reversed(self.runs):
            if run.first_start <= now:
                started = bisect.bisect_right(range(run.count), now, key=run.start)
                return self.task(run.first_index + started - 1)
        return None


def _ceil_div(numerator: timedelta, denominator: timedelta) -> int:
    return -(-numerator // denominator)


def _after_pauses(start: datetime, pause_intervals: list) -> datetime | None:
    """When a task ready at `start` starts: at the end of any pause it falls in (None: still paused)."""
    for paused_at, resumed_at in pause_intervals:  # oldest first, so one pass follows back-to-back pauses
        if paused_at <= start and (resumed_at is None or start < resumed_at):
            if resumed_at is None:
                return None
            start = resumed_at
    return start


def pipeline_tasks(pipeline: Pipeline, now: datetime) -> list[Task]:
    """The reported tasks: the most recent MAX_TASKS, oldest first."""
    return Schedule(pipeline, now).reported()


def task_view(pipeline: Pipeline, task: Task, now: datetime) -> dict:
    state = task.state(now)
    # Daily tasks show the day as both bounds (as in the classic doc); hourly ones the hour.
    to_date = task.period_start if pipeline.frequency == "daily" else task.period_end
    ended = state in ("succeeded", "failed", "timed_out")
    return {
        "name": pipeline.name,
        "state": state,
        "last_finish": format_task_time(task.finish) if ended and task.finish else NOT_FINISHED,
        "run_at": format_task_time(task.run_at(now)),
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
    # Only succeeded tasks sync a day: a day whose tasks all failed or timed out is left out, and
    # an hourly day with some of each is synced, at the times its succeeded tasks finished.
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
    # A failing task's retry is dispatched again, so it counts as its latest dispatch.
    last_task = Schedule(pipeline, now).last_started(now)
    last_dispatched = last_task.dispatched_at(now) if last_task else None
    return {
        "name": pipeline.name,
        "Dispatcher": "recurring" if pipeline.recurring else "backfill",
        "last_dispatched": format_jobs_time(last_dispatched or pipeline.created_at),
        "frequency": pipeline.frequency,
        "sync_enabled": "true" if pipeline.sync else "false",
    }
