"""status, jobs and timeline, driven by the injectable clock and the admin clock (no sleeps).

The fake clock starts at 2024-06-15 12:00 UTC. A daily pipeline from 2024-06-13 then has two
backlog days (13th, 14th), run one after another from 12:01 for 5 minutes each, and today's
task, which runs at 00:01 the next day.
"""

import re
from datetime import datetime, timezone

import pytest
import requests

from .emulator_support import API_PATH, PROJECT_ID, SERVICE_ACCOUNT, Api, FakeClock, fields_for

NOT_FINISHED = "0000-12-31T16:00:00-08:00"


def advance(api, seconds):
    response = api.admin("POST", "clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text


def summary(api, name):
    response = api.get("status", {"name": name, "summary": "true"})
    assert response.status_code == 200, response.text
    return response.json()


def test_tasks_move_from_pending_to_running_to_succeeded(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    assert summary(api, name) == {"pending": 3}
    advance(api, 120)
    assert summary(api, name) == {"running": 1, "pending": 2}
    advance(api, 600)
    assert summary(api, name) == {"succeeded": 2, "pending": 1}
    advance(api, 86400)
    assert summary(api, name) == {"succeeded": 3, "pending": 1}


def test_the_injected_clock_drives_the_tasks(api, clock):
    (name,) = api.create(fields_for("gcs-raw", from_date="2024-06-14"))
    assert summary(api, name) == {"pending": 2}
    clock.advance(minutes=30)
    assert summary(api, name) == {"succeeded": 1, "pending": 1}


def test_detailed_status_groups_tasks_by_state(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    advance(api, 120)
    body = api.get("status", {"name": name}).json()
    assert set(body) == {"running", "pending"}
    (running,) = body["running"]
    assert running == {
        "name": name,
        "state": "running",
        "last_finish": NOT_FINISHED,
        "run_at": "2024-06-15T12:01:00+00:00",
        "from_date": "2024-06-13T00:00:00+00:00",
        "to_date": "2024-06-13T00:00:00+00:00",
    }
    assert [task["from_date"][:10] for task in body["pending"]] == ["2024-06-14", "2024-06-15"]
    advance(api, 600)
    (first, _second) = api.get("status", {"name": name}).json()["succeeded"]
    assert first["last_finish"] == "2024-06-15T12:06:00+00:00"


def test_status_filters_by_state(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    advance(api, 120)
    assert set(api.get("status", {"name": name, "status": "pending"}).json()) == {"pending"}
    both = api.get("status", [("name", name), ("status", "pending"), ("status", "running")]).json()
    assert set(both) == {"pending", "running"}
    assert api.get("status", {"name": name, "status": "failed"}).json() == {}
    assert api.get("status", [("name", name), ("summary", "true"), ("status", "running")]).json() == {"running": 1}


def test_status_accepts_form_fields_on_get_as_the_classic_doc_sends_them(emulator, api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    response = requests.get(
        emulator.base_url + API_PATH + "status",
        data={"name": name, "summary": "true", "project_id": str(PROJECT_ID)},
        auth=SERVICE_ACCOUNT,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"pending": 3}


def test_status_accepts_the_classic_pages_post_form_example(api, classic_api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    advance(api, 120)
    # curl .../status -u API_SECRET: -d name="YOUR_PIPELINE_NAME" -d summary="true" sends a POST form.
    response = classic_api.post("status", {"name": name, "summary": "true"})
    assert response.status_code == 200, response.text
    assert response.json() == {"running": 1, "pending": 2}
    # With a service account, project_id is a form field like on any POST; status filters repeat.
    filtered = api.post("status", [("name", name), ("status", "pending"), ("status", "running")])
    assert filtered.status_code == 200, filtered.text
    assert {state: len(tasks) for state, tasks in filtered.json().items()} == {"running": 1, "pending": 2}
    assert api.post("status", {"summary": "true"}).status_code == 400  # name is still required
    # Only status takes both methods.
    refused = api.post("jobs")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET"
    wrong = api.admin("GET", "requests").json()["requests"]
    assert [(e["method"], e["op"], e["status"]) for e in wrong[-4:-1]] == [
        ("POST", "status", 200),
        ("POST", "status", 200),
        ("POST", "status", 400),
    ]


def test_status_refusals(api):
    (name,) = api.create(fields_for("aws"))
    assert "name" in api.get("status").json()["error"]
    assert api.get("status", {"name": "nope"}).status_code == 404
    bad_summary = api.get("status", {"name": name, "summary": "yes"})
    assert bad_summary.status_code == 400 and "summary" in bad_summary.json()["error"]
    bad_state = api.get("status", {"name": name, "status": "exploded"})
    assert bad_state.status_code == 400 and "status" in bad_state.json()["error"]


def test_paused_pipelines_start_no_task(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    api.post("pause", {"name": name})
    advance(api, 3600)
    assert summary(api, name) == {"pending": 3}
    api.post("resume", {"name": name})
    advance(api, 600)
    assert summary(api, name) == {"succeeded": 2, "pending": 1}


def test_tasks_run_one_at_a_time(api):
    (name,) = api.create(fields_for("s3-raw", from_date="2024-06-15", frequency="hourly"))
    assert summary(api, name) == {"pending": 13}  # 12 hours of backlog and the current hour
    advance(api, 3600 + 120)  # 13:02: the backlog ran 12:01-13:01, then the 12:00 hour started
    assert summary(api, name) == {"succeeded": 12, "running": 1, "pending": 1}
    (day,) = api.get("timeline", {"name": name}).json()["day_syncs"]
    assert day["sync_times"] == sorted(day["sync_times"]) and len(day["sync_times"]) == 12


def test_the_number_of_reported_tasks_is_bounded(api):
    (name,) = api.create(fields_for("s3-raw", frequency="hourly"))  # two weeks of hours
    assert sum(summary(api, name).values()) == 30


def test_a_backfill_stops_at_its_to_date(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-10", to_date="2024-06-11"))
    advance(api, 3 * 86400)
    assert summary(api, name) == {"succeeded": 2}


def test_timeline_lists_synced_days(api):
    (name,) = api.create(fields_for("aws", from_date="2024-06-13"))
    assert api.get("timeline", {"name": name}).json() == {"day_syncs": []}
    advance(api, 86400)
    day_syncs = api.get("timeline", {"name": name}).json()["day_syncs"]
    assert [day["date"] for day in day_syncs] == ["2024-06-13", "2024-06-14", "2024-06-15"]
    assert all(day["status"] == "synced" and len(day["sync_times"]) == 1 for day in day_syncs)
    assert day_syncs[0]["sync_times"] == ["2024-06-15 05:06:00.000000 -0700 PDT"]
    assert api.get("timeline", {"name": "nope"}).status_code == 404
    assert api.get("timeline").status_code == 400


def test_jobs_lists_every_pipeline_of_the_project(api):
    assert api.get("jobs").json() == {}
    (recurring,) = api.create(fields_for("aws", from_date="2024-06-13", sync="true"))
    (backfill,) = api.create(fields_for("gcs-raw", from_date="2024-06-13", to_date="2024-06-14"))
    advance(api, 120)
    jobs = api.get("jobs").json()
    assert list(jobs) == [str(PROJECT_ID)]
    by_name = {job["name"]: job for job in jobs[str(PROJECT_ID)]}
    assert by_name[recurring] == {
        "name": recurring,
        "Dispatcher": "recurring",
        "last_dispatched": "2024-06-15 05:01:00 US/Pacific",
        "frequency": "daily",
        "sync_enabled": "true",
    }
    assert by_name[backfill]["Dispatcher"] == "backfill"
    assert by_name[backfill]["sync_enabled"] == "false"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d US/Pacific", by_name[backfill]["last_dispatched"])


def test_jobs_shows_pacific_standard_time_in_winter(api, clock):
    from datetime import datetime, timezone

    clock.now = datetime(2024, 1, 10, 20, 0, tzinfo=timezone.utc)
    api.create(fields_for("gcs-raw", from_date="2024-01-10"))
    (job,) = api.get("jobs").json()[str(PROJECT_ID)]
    assert job["last_dispatched"] == "2024-01-10 12:00:00 US/Pacific"  # nothing dispatched yet: its creation


@pytest.mark.parametrize(
    "utc, pacific",
    [
        (datetime(2024, 3, 10, 9, 59, 59), "2024-03-10 01:59:59 US/Pacific"),  # the last second of PST
        (datetime(2024, 3, 10, 10, 0, 0), "2024-03-10 03:00:00 US/Pacific"),  # 02:00 PST is 03:00 PDT
        (datetime(2024, 11, 3, 8, 59, 59), "2024-11-03 01:59:59 US/Pacific"),  # the last second of PDT
        (datetime(2024, 11, 3, 9, 0, 0), "2024-11-03 01:00:00 US/Pacific"),  # 02:00 PDT is 01:00 PST
        (datetime(2006, 3, 20, 20, 0, 0), "2006-03-20 12:00:00 US/Pacific"),  # until 2006, PDT began in April
        (datetime(2006, 10, 30, 20, 0, 0), "2006-10-30 12:00:00 US/Pacific"),  # and ended in October
    ],
)
def test_jobs_times_follow_us_pacific_daylight_saving(make_emulator, utc, pacific):
    api = Api(make_emulator(clock=FakeClock(utc.replace(tzinfo=timezone.utc))).base_url)
    api.create(fields_for("gcs-raw", from_date=utc.date().isoformat()))
    (job,) = api.get("jobs").json()[str(PROJECT_ID)]
    assert job["last_dispatched"] == pacific  # nothing dispatched yet: the creation time


def test_timeline_sync_times_change_offset_when_daylight_saving_ends(make_emulator):
    clock = FakeClock(datetime(2024, 11, 3, 8, 20, tzinfo=timezone.utc))
    api = Api(make_emulator(clock=clock).base_url)
    (name,) = api.create(fields_for("s3-raw", from_date="2024-11-03", frequency="hourly"))
    clock.advance(hours=2)
    (day,) = api.get("timeline", {"name": name}).json()["day_syncs"]
    # The backlog's last tasks finish at 08:56, 09:01 and 09:06 UTC, around 09:00 UTC (02:00 PDT).
    assert day["sync_times"][6:9] == [
        "2024-11-03 01:56:00.000000 -0700 PDT",
        "2024-11-03 01:01:00.000000 -0800 PST",
        "2024-11-03 01:06:00.000000 -0800 PST",
    ]
