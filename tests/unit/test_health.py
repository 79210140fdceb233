"""Health from a pipeline's tasks: what each state means, what "recent" means, a trial's two
pipelines, and that a refresh says so at no extra API call."""

from __future__ import annotations

import datetime as dt

import pytest

from harness import inputs as valid
from harness.emulator import create_outside_pulumi
from pulumi_mixpanel.core.health import Health, Task, combined, health_of, tasks_of
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.lifecycle.queries import list_pipelines, pipeline_status
from pulumi_mixpanel.core.settings import ProviderSettings

TODAY = dt.date(2026, 12, 4)


def at(day: int, hour: int = 1) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=dt.timezone.utc)


def task(state: str, day: int, *, finished: bool = True) -> Task:
    return Task(state, at(day, 0), at(day, 0), at(day), at(day, 2) if finished else None)


@pytest.mark.parametrize(
    ("tasks", "paused", "to_date", "expected"),
    [
        ([task("succeeded", 1), task("succeeded", 2)], False, None, Health("exporting", "2026-12-02")),
        (
            [task("succeeded", 1), task("failed", 2)],
            False,
            None,
            Health("failing", "2026-12-01", 1, at(2, 2).isoformat()),
        ),
        # Failed, then exported again: exporting, with the recent failure still counted.
        (
            [task("timed_out", 1), task("succeeded", 2)],
            False,
            None,
            Health("exporting", "2026-12-02", 1, at(1, 2).isoformat()),
        ),
        ([task("pending", 3, finished=False)], False, None, Health("starting")),
        ([task("succeeded", 1)], True, None, Health("paused", "2026-12-01")),
        ([task("succeeded", 1), task("succeeded", 2)], False, "2026-12-02", Health("finished", "2026-12-02")),
        (
            [task("succeeded", 1), task("running", 2, finished=False)],
            False,
            "2026-12-02",
            Health("exporting", "2026-12-01"),
        ),
    ],
)
def test_what_each_health_means(tasks, paused, to_date, expected):
    assert health_of(tasks, paused=paused, to_date=to_date, today=TODAY) == expected


def test_recent_means_the_seven_days_up_to_the_latest_task_not_this_machines_clock():
    old_failure = Task("failed", at(1, 0), at(1, 0), at(1), at(1, 2))
    tasks = [old_failure] + [task("succeeded", day) for day in range(2, 10)]
    assert health_of(tasks, paused=False, to_date=None, today=dt.date(2030, 1, 1)).recent_failures == 0
    assert health_of(tasks[:8], paused=False, to_date=None, today=dt.date(2030, 1, 1)).recent_failures == 1


def test_a_trial_is_as_healthy_as_its_worst_pipeline_and_exported_up_to_its_laggard():
    events, people = Health("exporting", "2026-12-03"), Health("failing", "2026-12-01", 2, "x")
    assert combined([events, people]) == Health("failing", "2026-12-01", 2, "x")


def test_mixpanels_not_finished_time_is_read_as_not_finished():
    (parsed,) = tasks_of({"running": [{"state": "running", "last_finish": "0000-12-31T16:00:00-08:00"}]})
    assert parsed.last_finish is None


def lifecycle_for(base_url: str) -> PipelineLifecycle:
    settings = ProviderSettings.from_sources({"endpoint": base_url, "apiSecret": "emulator-api-secret"}, {})
    return PipelineLifecycle(settings)


def test_a_refresh_reads_health_from_the_status_call_it_makes_anyway(emulator, admin):
    lifecycle = lifecycle_for(emulator.base_url)
    state = lifecycle.create(lifecycle.check({}, valid.inputs("gcs-raw")).inputs)
    assert state.health == Health("starting")
    admin.set_task_outcome(state.resource_id, "failed")
    admin.advance_clock(3 * 86400)
    admin.clear_requests()
    refreshed = lifecycle.read(state.resource_id, state)
    assert [e["op"] for e in admin.requests()] == ["status"]
    assert refreshed.health.state == "failing" and refreshed.health.recent_failures >= 3
    warning = lifecycle.health_warning(refreshed)
    assert warning.startswith(f"Mixpanel pipeline {state.resource_id}: {refreshed.health.recent_failures} export tasks")
    assert "It is still failing" in warning and "still has access" in warning
    assert sum(refreshed.status.values()) == sum(admin.status_summary(state.resource_id).values())


def test_a_pipeline_that_exports_again_still_reports_its_recent_failures_as_over(emulator, admin):
    lifecycle = lifecycle_for(emulator.base_url)
    state = lifecycle.create(lifecycle.check({}, valid.inputs("gcs-raw")).inputs)
    admin.set_task_outcome(state.resource_id, "failed")
    admin.advance_clock(3 * 86400)
    admin.set_task_outcome(state.resource_id, "succeeded")  # the bucket's permission is back
    admin.advance_clock(2 * 86400)
    refreshed = lifecycle.read(state.resource_id, state)
    assert refreshed.health.state == "exporting" and refreshed.health.recent_failures >= 3
    warning = lifecycle.health_warning(refreshed)
    assert "Later tasks have succeeded. Check that" in warning and "It is still failing" not in warning


def test_the_functions_list_the_project_and_tell_one_pipelines_health(emulator, admin):
    (hourly,) = create_outside_pulumi(emulator.base_url, valid.inputs("gcs-raw", frequency="hourly"))
    (daily,) = create_outside_pulumi(emulator.base_url, valid.inputs("s3-raw"))
    backfill = valid.inputs("azure-raw")
    create_outside_pulumi(emulator.base_url, {**backfill, "to_date": backfill["from_date"]})
    lifecycle = lifecycle_for(emulator.base_url)
    listed = {pipeline.name: pipeline for pipeline in list_pipelines(lifecycle)}
    assert set(listed) == {hourly, daily, "events-daily-azure-raw"}
    assert listed[hourly].type == "gcs-raw" and listed[hourly].frequency == "hourly" and listed[hourly].recurring
    assert listed["events-daily-azure-raw"].recurring is False
    admin.set_task_outcome(daily, "timed_out")
    admin.advance_clock(2 * 86400)
    status = pipeline_status(lifecycle, daily)
    assert status.health.state == "failing" and status.counts["timed_out"] == status.health.recent_failures > 0
    assert status.tasks and status.tasks[0].run_at >= status.tasks[-1].run_at  # newest first
