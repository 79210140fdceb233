"""Whether a pipeline is still exporting, read from the task list the status call returns (the
call a refresh makes anyway: health costs no API call).

- `failing`: the latest task that ended did not succeed (it failed or timed out);
- `paused`: the state records the pipeline as paused (Mixpanel does not report it);
- `finished`: a bounded export (a `to_date`) with nothing left to run, whose window is over;
- `starting`: no task has ended yet;
- `exporting`: otherwise.

"Recent" means the tasks that started in the RECENT_DAYS days up to the pipeline's latest
task: Mixpanel keeps a pipeline's recent tasks only, and the latest task, not this machine's
clock, says where the pipeline is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Optional

RECENT_DAYS = 7
FAILED_STATES = ("failed", "timed_out")
UNFINISHED_STATES = ("pending", "running", "retried")
# Most severe first: a resource of several pipelines (a trial) is as healthy as its worst one.
STATES = ("failing", "paused", "starting", "exporting", "finished")


_NEVER = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Task:
    state: str
    from_date: Optional[dt.datetime]
    to_date: Optional[dt.datetime]
    run_at: Optional[dt.datetime]
    last_finish: Optional[dt.datetime]  # None until the task has ended


@dataclass(frozen=True)
class Health:
    state: str
    last_exported_date: Optional[str] = None  # the latest day a task exported successfully
    recent_failures: int = 0  # failed or timed-out tasks among the recent ones
    last_failure_at: Optional[str] = None  # when the latest failed or timed-out task ended

    def values(self) -> dict[str, Any]:
        return {
            "health": self.state,
            "last_exported_date": self.last_exported_date,
            "recent_failures": self.recent_failures,
            "last_failure_at": self.last_failure_at,
        }

    def paused_or_resumed(self, paused: bool) -> Health:
        """After a pause or a resume: paused, or (until the next read says more) exporting again."""
        if paused:
            return replace(self, state="paused")
        return replace(self, state="exporting") if self.state == "paused" else self

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Optional[Health]:
        state = values.get("health")
        if state not in STATES:
            return None
        failures = values.get("recent_failures")
        exported, failed_at = values.get("last_exported_date"), values.get("last_failure_at")
        return cls(
            str(state),
            exported if isinstance(exported, str) else None,
            int(failures) if isinstance(failures, (int, float)) and not isinstance(failures, bool) else 0,
            failed_at if isinstance(failed_at, str) else None,
        )


def tasks_of(status: Mapping[str, Any]) -> list[Task]:
    """The tasks in a status answer without `summary` (tasks grouped by state)."""
    tasks = []
    for state, listed in status.items():
        for entry in listed if isinstance(listed, list) else []:
            if isinstance(entry, Mapping):
                tasks.append(
                    Task(
                        str(entry.get("state") or state),
                        _moment(entry.get("from_date")),
                        _moment(entry.get("to_date")),
                        _moment(entry.get("run_at")),
                        _moment(entry.get("last_finish")),
                    )
                )
    return tasks


def counts_of(tasks: Iterable[Task]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.state] = counts.get(task.state, 0) + 1
    return counts


def health_of(tasks: list[Task], *, paused: bool, to_date: Optional[str], today: dt.date) -> Health:
    """One pipeline's health from its tasks."""
    ended = [task for task in tasks if task.last_finish is not None and task.state not in UNFINISHED_STATES]
    succeeded = [task for task in ended if task.state == "succeeded" and task.from_date is not None]
    failed = [task for task in ended if task.state in FAILED_STATES]
    started = [task.run_at for task in tasks if task.run_at is not None]
    recent_since = max(started) - dt.timedelta(days=RECENT_DAYS) if started else None
    recent_failures = [task for task in failed if recent_since is None or (task.run_at or recent_since) >= recent_since]
    last_exported = max((task.from_date for task in succeeded if task.from_date), default=None)
    last_failure = max((task.last_finish for task in failed if task.last_finish), default=None)
    latest = max(
        ended, key=lambda task: task.last_finish or dt.datetime.min.replace(tzinfo=dt.timezone.utc), default=None
    )
    if latest is not None and latest.state in FAILED_STATES:
        state = "failing"
    elif paused:
        state = "paused"
    elif (
        to_date is not None
        and today.isoformat() > to_date
        and not any(task.state in UNFINISHED_STATES for task in tasks)
    ):
        state = "finished"
    elif latest is None:
        state = "starting"
    else:
        state = "exporting"
    return Health(
        state,
        last_exported.date().isoformat() if last_exported else None,
        len(recent_failures),
        last_failure.isoformat() if last_failure else None,
    )


def combined(healths: list[Health]) -> Health:
    """A resource's health from its pipelines' (a trial has two): the worst state, every recent
    failure, the earliest of their last exported days (the resource is exported up to it)."""
    if not healths:
        return Health("starting")
    exported = [health.last_exported_date for health in healths if health.last_exported_date]
    failures = [health.last_failure_at for health in healths if health.last_failure_at]
    return Health(
        min((health.state for health in healths), key=STATES.index),
        min(exported) if len(exported) == len(healths) else None,
        sum(health.recent_failures for health in healths),
        max(failures) if failures else None,
    )


def _moment(value: Any) -> Optional[dt.datetime]:
    """A task time as Mixpanel writes it (ISO 8601 with an offset); None for "not yet"."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None  # e.g. "0000-12-31T16:00:00-08:00", Mixpanel's "not finished" (year 0)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


__all__ = ["FAILED_STATES", "RECENT_DAYS", "Health", "Task", "combined", "counts_of", "health_of", "tasks_of"]
