"""Task outcomes: POST /_emulator/pipelines/<name>/outcome, and how status, jobs and timeline
report failed and timed-out tasks. Time moves only through the injected clock (no sleeps).

The fake clock starts at 2024-06-15 12:00 UTC. A daily pipeline from 2024-06-13 then has two
backlog days, run one after another from 12:01, and today's task, due at 00:01 the next day.
A failing task runs 5 minutes, is retried after 10, runs 5 more and fails: 20 minutes in all.
A task that times out runs for an hour.
"""

import json
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.emulator import EmulatorServer

from .emulator_support import PROJECT_ID, START, Api, FakeClock, fields_for

NOT_FINISHED = "0000-12-31T16:00:00-08:00"
DAILY_FROM_13TH = fields_for("aws", from_date="2024-06-13")


def at(clock, time_of_day, day="2024-06-15"):
    """Move the fake clock forward to `day` `time_of_day` (UTC)."""
    moment = datetime.fromisoformat(f"{day}T{time_of_day}+00:00")
    assert moment >= clock.now, "the emulator's clock only moves forward"
    clock.now = moment


def set_outcome(api, name, outcome):
    response = api.admin("POST", f"pipelines/{name}/outcome", json={"outcome": outcome})
    assert response.status_code == 200, response.text
    return response.json()


def summary(api, name, *states):
    response = api.get("status", [("name", name), ("summary", "true"), *(("status", state) for state in states)])
    assert response.status_code == 200, response.text
    return response.json()


def tasks(api, name, *states):
    response = api.get("status", [("name", name), *(("status", state) for state in states)])
    assert response.status_code == 200, response.text
    return response.json()


def last_dispatched(api, name):
    jobs = api.get("jobs").json()[str(PROJECT_ID)]
    return next(job for job in jobs if job["name"] == name)["last_dispatched"]


def day_task(state, day, run_at, last_finish=NOT_FINISHED, name="events-daily-aws-monoschema"):
    return {
        "name": name,
        "state": state,
        "last_finish": last_finish,
        "run_at": run_at,
        "from_date": f"{day}T00:00:00+00:00",
        "to_date": f"{day}T00:00:00+00:00",
    }


# --- failed ---------------------------------------------------------------------------------


def test_a_failing_task_runs_is_retried_runs_again_then_fails(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    view = set_outcome(api, name, "failed")
    assert view["task_outcome"] == "failed"
    assert view["task_outcome_history"] == [{"since": "2024-06-15T12:00:00+00:00", "outcome": "failed"}]
    assert summary(api, name) == {"pending": 3}
    for time_of_day, expected in (
        ("12:01", {"running": 1, "pending": 2}),  # the 13th's first attempt
        ("12:05:59", {"running": 1, "pending": 2}),
        ("12:06", {"retried": 1, "pending": 2}),  # it failed; the retry waits 10 minutes
        ("12:15:59", {"retried": 1, "pending": 2}),
        ("12:16", {"running": 1, "pending": 2}),  # the retry
        ("12:21", {"failed": 1, "running": 1, "pending": 1}),  # the 14th starts when the 13th ends
        ("12:26", {"failed": 1, "retried": 1, "pending": 1}),
        ("12:36", {"failed": 1, "running": 1, "pending": 1}),
        ("12:41", {"failed": 2, "pending": 1}),
    ):
        at(clock, time_of_day)
        assert summary(api, name) == expected, time_of_day


def test_the_task_list_shows_each_attempt_of_a_failing_task(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    at(clock, "12:02")
    assert tasks(api, name, "running") == {"running": [day_task("running", "2024-06-13", "2024-06-15T12:01:00+00:00")]}
    assert last_dispatched(api, name) == "2024-06-15 05:01:00 US/Pacific"
    at(clock, "12:07")
    # A retried task's run_at is when its retry runs; it has no last_finish until it ends.
    assert tasks(api, name, "retried") == {"retried": [day_task("retried", "2024-06-13", "2024-06-15T12:16:00+00:00")]}
    assert last_dispatched(api, name) == "2024-06-15 05:01:00 US/Pacific"
    at(clock, "12:17")
    assert tasks(api, name, "running") == {"running": [day_task("running", "2024-06-13", "2024-06-15T12:16:00+00:00")]}
    assert last_dispatched(api, name) == "2024-06-15 05:16:00 US/Pacific"  # the retry was dispatched
    at(clock, "12:41")
    assert tasks(api, name) == {
        "failed": [
            day_task("failed", "2024-06-13", "2024-06-15T12:16:00+00:00", "2024-06-15T12:21:00+00:00"),
            day_task("failed", "2024-06-14", "2024-06-15T12:36:00+00:00", "2024-06-15T12:41:00+00:00"),
        ],
        "pending": [day_task("pending", "2024-06-15", "2024-06-16T00:01:00+00:00")],
    }
    assert api.get("timeline", {"name": name}).json() == {"day_syncs": []}


def test_the_outcome_applies_to_tasks_that_start_at_or_after_it_is_set(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    at(clock, "12:01")  # the 13th starts now, so it fails
    set_outcome(api, name, "failed")
    at(clock, "12:41")
    assert summary(api, name) == {"failed": 2, "pending": 1}


def test_a_task_that_started_before_the_change_keeps_its_outcome(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    at(clock, "12:03")  # the 13th is running, as a task that succeeds
    set_outcome(api, name, "failed")
    at(clock, "12:06")
    assert summary(api, name) == {"succeeded": 1, "running": 1, "pending": 1}
    at(clock, "12:26")
    assert summary(api, name) == {"succeeded": 1, "failed": 1, "pending": 1}


# --- timed_out ------------------------------------------------------------------------------


def test_a_task_that_times_out_runs_for_an_hour(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "timed_out")
    for time_of_day, expected in (
        ("12:01", {"running": 1, "pending": 2}),
        ("13:00:59", {"running": 1, "pending": 2}),
        ("13:01", {"timed_out": 1, "running": 1, "pending": 1}),
        ("14:01", {"timed_out": 2, "pending": 1}),
    ):
        at(clock, time_of_day)
        assert summary(api, name) == expected, time_of_day
    assert tasks(api, name, "timed_out") == {
        "timed_out": [
            day_task("timed_out", "2024-06-13", "2024-06-15T12:01:00+00:00", "2024-06-15T13:01:00+00:00"),
            day_task("timed_out", "2024-06-14", "2024-06-15T13:01:00+00:00", "2024-06-15T14:01:00+00:00"),
        ]
    }
    assert last_dispatched(api, name) == "2024-06-15 06:01:00 US/Pacific"
    assert api.get("timeline", {"name": name}).json() == {"day_syncs": []}


def test_timed_out_hourly_tasks_delay_the_next_ones_until_tasks_succeed_again(make_emulator):
    clock = FakeClock(datetime(2024, 6, 15, 2, 0, tzinfo=timezone.utc))
    api = Api(make_emulator(clock=clock).base_url)
    (name,) = api.create(fields_for("s3-raw", from_date="2024-06-15", frequency="hourly"))
    set_outcome(api, name, "timed_out")
    at(clock, "04:30")
    # The backlog (00h, 01h) ran 02:01-04:01; the 02h task, due at 03:01, waited for it.
    assert [
        (task["from_date"][11:16], task["run_at"][11:16]) for task in tasks(api, name, "timed_out")["timed_out"]
    ] == [
        ("00:00", "02:01"),
        ("01:00", "03:01"),
    ]
    set_outcome(api, name, "succeeded")  # the 02h task is running: it still times out, at 05:01
    at(clock, "06:30")
    by_hour = {
        task["from_date"][11:16]: (task["state"], task["run_at"][11:16], task["last_finish"][11:16])
        for group in tasks(api, name).values()
        for task in group
    }
    assert by_hour == {
        "00:00": ("timed_out", "02:01", "03:01"),
        "01:00": ("timed_out", "03:01", "04:01"),
        "02:00": ("timed_out", "04:01", "05:01"),
        "03:00": ("succeeded", "05:01", "05:06"),  # due 04:01, it waited for the 02h task
        "04:00": ("succeeded", "05:06", "05:11"),  # due 05:01, it waited for the 03h task
        "05:00": ("succeeded", "06:01", "06:06"),  # caught up: it starts when due
        "06:00": ("pending", "07:01", "16:00"),  # not finished,
    }
    (day,) = api.get("timeline", {"name": name}).json()["day_syncs"]
    assert day["date"] == "2024-06-15" and len(day["sync_times"]) == 3


# --- succeeded again, the status filter, the timeline ----------------------------------------


def test_setting_succeeded_again_makes_later_tasks_succeed_and_earlier_ones_stay_failed(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    at(clock, "12:30")  # the 13th has failed, the 14th is on its retry's wait
    view = set_outcome(api, name, "succeeded")
    assert view["task_outcome"] == "succeeded"
    assert view["task_outcome_history"] == [
        {"since": "2024-06-15T12:00:00+00:00", "outcome": "failed"},
        {"since": "2024-06-15T12:30:00+00:00", "outcome": "succeeded"},
    ]
    at(clock, "00:10", day="2024-06-16")
    assert summary(api, name) == {"failed": 2, "succeeded": 1, "pending": 1}
    (succeeded,) = tasks(api, name, "succeeded")["succeeded"]
    assert succeeded == day_task("succeeded", "2024-06-15", "2024-06-16T00:01:00+00:00", "2024-06-16T00:06:00+00:00")
    # A failed day is not synced.
    assert [day["date"] for day in api.get("timeline", {"name": name}).json()["day_syncs"]] == ["2024-06-15"]


def test_the_status_filter_selects_failed_retried_and_timed_out_tasks(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    at(clock, "12:30")
    assert summary(api, name, "failed") == {"failed": 1}
    assert summary(api, name, "retried", "pending") == {"retried": 1, "pending": 1}
    assert set(tasks(api, name, "retried")) == {"retried"}
    assert tasks(api, name, "timed_out") == {}
    set_outcome(api, name, "timed_out")
    at(clock, "00:01", day="2024-06-16")  # the 15th starts and will time out at 01:01
    at(clock, "01:01", day="2024-06-16")
    assert summary(api, name, "timed_out", "failed") == {"failed": 2, "timed_out": 1}
    assert [task["from_date"][:10] for task in tasks(api, name, "timed_out")["timed_out"]] == ["2024-06-15"]
    assert summary(api, name, "succeeded", "running") == {}


def test_a_day_with_both_failed_and_succeeded_tasks_stays_synced(make_emulator):
    clock = FakeClock(datetime(2024, 6, 15, 2, 0, tzinfo=timezone.utc))
    api = Api(make_emulator(clock=clock).base_url)
    (name,) = api.create(fields_for("s3-raw", from_date="2024-06-14", frequency="hourly"))
    set_outcome(api, name, "failed")
    clock.advance(hours=30)  # to the 16th 08:00: every task so far failed
    set_outcome(api, name, "succeeded")
    clock.advance(hours=2)  # the 16th's 07h and 08h tasks succeed
    day_syncs = api.get("timeline", {"name": name}).json()["day_syncs"]
    assert [(day["date"], len(day["sync_times"])) for day in day_syncs] == [("2024-06-16", 2)]
    failed_days = {task["from_date"][:10] for task in tasks(api, name, "failed")["failed"]}
    assert failed_days == {"2024-06-15", "2024-06-16"}  # the 15th is not synced, the 16th is


# --- pauses and the reported window -----------------------------------------------------------


def test_no_failing_task_starts_while_paused(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    api.post("pause", {"name": name})
    set_outcome(api, name, "failed")
    at(clock, "14:00")
    assert summary(api, name) == {"pending": 3}
    api.post("resume", {"name": name})
    at(clock, "14:10")
    assert tasks(api, name, "retried")["retried"][0]["run_at"] == "2024-06-15T14:15:00+00:00"
    at(clock, "14:40")
    assert summary(api, name) == {"failed": 2, "pending": 1}


def test_last_dispatched_counts_tasks_before_the_reported_window(api, clock):
    (name,) = api.create(fields_for("s3-raw", frequency="hourly"))  # 348 hours of backlog
    set_outcome(api, name, "timed_out")
    at(clock, "14:30")
    assert summary(api, name) == {"pending": 30}  # the latest 30 hours wait behind the backlog
    assert last_dispatched(api, name) == "2024-06-15 07:01:00 US/Pacific"  # the third backlog hour, 14:01 UTC


# --- against a step-by-step reference ---------------------------------------------------------

MINUTE = timedelta(minutes=1)
DURATIONS = {"succeeded": 5 * MINUTE, "failed": 20 * MINUTE, "timed_out": 60 * MINUTE}
PACIFIC = ZoneInfo("America/Los_Angeles")


def reference_tasks(created, from_day, period, window_end, now, pauses, changes):
    """The documented rules, task by task from the start of the window: due a minute after its
    period ends (the backlog a minute after creation), started when due and the previous task
    has finished, never while paused, ending as the outcome set last at or before its start."""
    window_start = datetime.fromisoformat(f"{from_day}T00:00:00+00:00")
    count = (now - window_start) // period + 1
    if window_end is not None:
        count = min(count, (window_end - window_start) // period)
    result, previous_finish, held_since = [], None, None
    for index in range(count):
        period_start = window_start + index * period
        ready = max(period_start + period, created) + MINUTE
        if held_since is not None:
            result.append((period_start, None, max(ready, held_since), "succeeded"))
            continue
        ready = max(ready, previous_finish or ready)
        start = ready
        for paused_at, resumed_at in pauses:
            if paused_at <= start and (resumed_at is None or start < resumed_at):
                start = resumed_at
                if start is None:
                    break
        if start is None:
            held_since = ready
            result.append((period_start, None, ready, "succeeded"))
            continue
        outcome = "succeeded"
        for since, changed_to in changes:
            if since <= start:
                outcome = changed_to
        previous_finish = start + DURATIONS[outcome]
        result.append((period_start, start, start, outcome))
    return result


def reference_view(entry, now):
    period_start, start, scheduled, outcome = entry
    if start is None or now < start:
        return period_start, "pending", scheduled, None
    finish = start + DURATIONS[outcome]
    retry = start + 15 * MINUTE if outcome == "failed" else None
    run_at = retry if retry is not None and now >= start + 5 * MINUTE else start
    if now >= finish:
        return period_start, outcome, run_at, finish
    if retry is not None and start + 5 * MINUTE <= now < retry:
        return period_start, "retried", run_at, None
    return period_start, "running", run_at, None


def reference_last_dispatch(reference, now, created):
    dispatches = []
    for _period_start, start, _scheduled, outcome in reference:
        if start is not None and start <= now:
            retry = start + 15 * MINUTE if outcome == "failed" else None
            dispatches.append(retry if retry is not None and retry <= now else start)
    return max(dispatches, default=created)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", ["hourly", "daily", "backfill"])
def test_status_and_jobs_match_a_step_by_step_reference(make_emulator, kind, seed):
    """Random outcome changes, pauses and clock moves over a long backlog: the emulator's
    closed-form schedule agrees with the rules applied task by task."""
    rng = random.Random(f"{kind}-{seed}")
    clock = FakeClock(START + timedelta(seconds=rng.randrange(86400)))
    api = Api(make_emulator(clock=clock).base_url)
    today = clock.now.date()
    from_day = today - timedelta(days=rng.choice((0, 1) if kind == "hourly" else (0, 2, 9)))
    if kind == "backfill":  # daily, and its window ends
        to_day = min(today, from_day + timedelta(days=rng.choice((0, 1, 3))))
        (name,) = api.create(fields_for("s3-raw", from_date=from_day.isoformat(), to_date=to_day.isoformat()))
        window_end = datetime.fromisoformat(f"{to_day.isoformat()}T00:00:00+00:00") + timedelta(days=1)
    else:
        (name,) = api.create(fields_for("s3-raw", from_date=from_day.isoformat(), frequency=kind))
        window_end = None
    period = timedelta(hours=1) if kind == "hourly" else timedelta(days=1)
    created, pauses, changes, outcome = clock.now, [], [], "succeeded"
    seen_states = set()
    for step in range(30):
        action = rng.choice(("advance", "advance", "advance", "outcome", "outcome", "pause"))
        paused = bool(pauses) and pauses[-1][1] is None
        if paused and rng.random() < 0.5:
            action = "pause"  # that is, resume: pauses stay short, so that tasks run
        if action == "advance":
            clock.advance(seconds=rng.choice((rng.randrange(60, 1800), rng.randrange(1800, 12 * 3600))))
        elif action == "outcome":
            new_outcome = rng.choice(("succeeded", "failed", "timed_out"))
            set_outcome(api, name, new_outcome)
            if new_outcome != outcome:
                changes.append((clock.now, new_outcome))
                outcome = new_outcome
        elif paused:
            assert api.post("resume", {"name": name}).status_code == 200
            pauses[-1][1] = clock.now
        else:
            assert api.post("pause", {"name": name}).status_code == 200
            pauses.append([clock.now, None])
        now = clock.now
        reference = reference_tasks(created, from_day.isoformat(), period, window_end, now, pauses, changes)
        expected = [
            (period_start.isoformat(), state, run_at.isoformat(), finish.isoformat() if finish else NOT_FINISHED)
            for period_start, state, run_at, finish in (reference_view(entry, now) for entry in reference[-30:])
        ]
        reported = sorted(
            (task["from_date"], task["state"], task["run_at"], task["last_finish"])
            for group in tasks(api, name).values()
            for task in group
        )
        assert reported == expected, step
        seen_states.update(state for _from_date, state, _run_at, _last_finish in reported)
        dispatched = reference_last_dispatch(reference, now, created).astimezone(PACIFIC)
        assert last_dispatched(api, name) == dispatched.strftime("%Y-%m-%d %H:%M:%S US/Pacific"), step
    assert seen_states - {"pending"}, "no task ran: the scenario tests nothing"


# --- persistence, reset ----------------------------------------------------------------------


def test_the_outcome_history_survives_a_restart(make_emulator, clock, tmp_path):
    state_file = tmp_path / "state.json"
    first = make_emulator(state_file=str(state_file))
    api = Api(first.base_url)
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    at(clock, "12:10")
    set_outcome(api, name, "timed_out")
    before, status_before = api.admin("GET", "pipelines").json(), tasks(api, name)
    first.stop()

    document = json.loads(state_file.read_text())
    assert document["version"] == 3
    assert document["pipelines"][0]["task_outcome_history"] == [
        {"since": "2024-06-15T12:00:00+00:00", "outcome": "failed"},
        {"since": "2024-06-15T12:10:00+00:00", "outcome": "timed_out"},
    ]
    api = Api(make_emulator(state_file=str(state_file)).base_url)
    assert api.admin("GET", "pipelines").json() == before
    assert tasks(api, name) == status_before
    at(clock, "14:30")  # the 13th failed at 12:21; the 14th started at 12:21 and timed out at 13:21
    assert summary(api, name) == {"failed": 1, "timed_out": 1, "pending": 1}


def test_a_version_2_state_file_without_outcomes_loads_with_tasks_that_succeed(make_emulator, tmp_path):
    first_file = tmp_path / "first.json"
    api = Api(make_emulator(state_file=str(first_file)).base_url)
    (name,) = api.create(DAILY_FROM_13TH)
    document = json.loads(first_file.read_text())
    del document["pipelines"][0]["task_outcome_history"]
    document["version"] = 2
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(document))
    api = Api(make_emulator(state_file=str(old_file)).base_url)
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert (pipeline["task_outcome"], pipeline["task_outcome_history"]) == ("succeeded", [])
    set_outcome(api, name, "failed")
    assert json.loads(old_file.read_text())["version"] == 3


def test_a_state_file_with_an_unknown_outcome_is_a_clear_error(make_emulator, tmp_path):
    state_file = tmp_path / "state.json"
    api = Api(make_emulator(state_file=str(state_file)).base_url)
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    state_file.write_text(state_file.read_text().replace('"failed"', '"exploded"'))
    with pytest.raises(ValueError, match=r"cannot load the state file .*: unknown task outcome .exploded."):
        EmulatorServer(state_file=str(state_file))


def test_reset_forgets_the_outcomes(api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    set_outcome(api, name, "failed")
    assert api.admin("POST", "reset").status_code == 200
    assert api.create(DAILY_FROM_13TH) == [name]
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert (pipeline["task_outcome"], pipeline["task_outcome_history"]) == ("succeeded", [])
    at(clock, "12:11")
    assert summary(api, name) == {"succeeded": 2, "pending": 1}


# --- the admin call --------------------------------------------------------------------------


def test_the_listing_shows_each_pipelines_outcome(api):
    (name,) = api.create(DAILY_FROM_13TH)
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert (pipeline["task_outcome"], pipeline["task_outcome_history"]) == ("succeeded", [])
    set_outcome(api, name, "timed_out")
    set_outcome(api, name, "timed_out")  # the outcome already in effect: nothing changes
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert pipeline["task_outcome"] == "timed_out"
    assert pipeline["task_outcome_history"] == [{"since": "2024-06-15T12:00:00+00:00", "outcome": "timed_out"}]


def test_the_admin_call_refuses_an_unknown_pipeline_and_a_bad_body(api):
    (name,) = api.create(DAILY_FROM_13TH)
    unknown = api.admin("POST", "pipelines/nope/outcome", json={"outcome": "failed"})
    assert (unknown.status_code, unknown.json()) == (404, {"error": "pipeline nope not found", "status": "error"})
    route = f"pipelines/{name}/outcome"
    for body, mentions in (
        (b"not json", "JSON"),
        (b'["failed"]', "JSON object"),
        (b"{}", "outcome"),
        (b'{"outcome": "exploded"}', '"exploded"'),
        (b'{"outcome": "pending"}', "succeeded, failed, timed_out"),
        (b'{"outcome": null}', "null"),
        (b'{"outcome": "failed", "at": "12:00"}', "field(s): at"),
    ):
        refused = api.admin("POST", route, data=body)
        assert refused.status_code == 400, body
        assert refused.json()["status"] == "error" and mentions in refused.json()["error"], body
    wrong_method = api.admin("GET", route)
    assert (wrong_method.status_code, wrong_method.headers["Allow"]) == (405, "POST")
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert pipeline["task_outcome_history"] == []


def test_the_admin_client_sets_outcomes(emulator, api, clock):
    (name,) = api.create(DAILY_FROM_13TH)
    admin = EmulatorAdmin(emulator.base_url)
    view = admin.set_task_outcome(name, "failed")
    assert (view["name"], view["task_outcome"]) == (name, "failed")
    assert admin.pipeline(name) == view
    with pytest.raises(requests.HTTPError):
        admin.set_task_outcome("nope", "failed")
    with pytest.raises(requests.HTTPError):
        admin.set_task_outcome(name, "exploded")
