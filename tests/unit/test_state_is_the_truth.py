"""The core's rules for a state that never disagrees with Mixpanel: a pipeline's home, updates
that fail part-way, adoption only at a first create, and inputs Mixpanel would mangle."""

from __future__ import annotations

import datetime as dt

import pytest

from harness import inputs as valid
from pulumi_mixpanel.core.errors import (
    MixpanelError,
    PipelineElsewhereError,
    PipelineExistsError,
    UpdateInterruptedError,
)
from pulumi_mixpanel.core.home import Home
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.models import validate_pipeline
from pulumi_mixpanel.core.settings import ProviderSettings


def lifecycle_for(base_url: str, project_id: str = "1", **options) -> PipelineLifecycle:
    settings = ProviderSettings.from_sources(
        {
            "endpoint": base_url,
            "serviceAccountUsername": "emulator",
            "serviceAccountSecret": "emulator-secret",
            "projectId": project_id,
        },
        {},
    )
    return PipelineLifecycle(settings, sleep=lambda _: None, **options)


def created(lifecycle, values):
    """(resource id, state) of a resource created as the engine creates it: check, then create."""
    outcome = lifecycle.check({}, values)
    assert outcome.problems == []
    state = lifecycle.create(outcome.inputs)
    return state.resource_id, state


# --- home --------------------------------------------------------------------------------------


def test_the_state_records_the_home_its_settings_reach(emulator):
    _, outputs = created(lifecycle_for(emulator.base_url), valid.inputs("gcs-raw"))
    assert outputs.home.to_state() == {"projectId": "1", "endpoint": emulator.base_url}


def test_a_pipeline_in_another_project_is_neither_read_as_gone_nor_touched(emulator, admin):
    resource_id, outputs = created(lifecycle_for(emulator.base_url), valid.inputs("gcs-raw"))
    elsewhere = lifecycle_for(emulator.base_url, project_id="2")
    admin.clear_requests()
    news = elsewhere.check(outputs.inputs, valid.inputs("gcs-raw")).inputs
    for operation in (
        lambda: elsewhere.read(resource_id, outputs),
        lambda: elsewhere.diff(outputs, news),
        lambda: elsewhere.update(resource_id, outputs, {**news, "events": ["Signup"]}),
        lambda: elsewhere.delete(resource_id, outputs),
    ):
        with pytest.raises(PipelineElsewhereError, match=r"lives in Mixpanel project 1 .* reaches project 2"):
            operation()
    assert admin.requests() == [] and len(admin.pipelines()) == 1


def test_a_state_from_before_homes_gets_the_home_at_its_next_read(emulator):
    lifecycle = lifecycle_for(emulator.base_url)
    resource_id, outputs = created(lifecycle, valid.inputs("gcs-raw"))
    outputs = outputs.with_changes(home=None)
    refreshed = lifecycle.read(resource_id, outputs)
    assert refreshed.home.to_state() == {"projectId": "1", "endpoint": emulator.base_url}


@pytest.mark.parametrize(
    ("recorded", "current", "moved"),
    [
        (Home("1"), Home("2"), ["projectId"]),
        (Home("1", "us"), Home("1", "eu"), ["region"]),
        (Home("1", endpoint="https://a.example"), Home("1", endpoint="https://b.example"), ["endpoint"]),
        (Home("1", endpoint="https://a.example"), Home("1", endpoint="https://a.example/api/2.0"), []),
        # An API secret does not say its project: switching to a service account, or back, stays.
        (Home(None), Home("7"), []),
        (Home("7"), Home(None), []),
    ],
)
def test_what_moves_a_pipeline(recorded, current, moved):
    assert recorded.moved_by(current) == moved
    assert Home.from_state(recorded.to_state()) == recorded


def test_a_home_learns_the_project_once_a_service_account_reaches_it():
    assert Home(None, "eu").updated_with(Home("7", "eu")).to_state() == {"projectId": "7", "region": "eu"}


# --- updates that fail part-way ------------------------------------------------------------------


def an_update_whose_edit_fails(emulator, admin, **options):
    lifecycle = lifecycle_for(emulator.base_url, **options)
    resource_id, outputs = created(lifecycle, valid.inputs("gcs-raw", events=["Old"]))
    news = lifecycle.check(outputs.inputs, valid.inputs("gcs-raw", events=["New"], paused=True)).inputs
    admin.fault("edit", "status", count=10, status=500)
    admin.clear_requests()
    return lifecycle, resource_id, outputs, news


def test_a_partial_update_reports_the_state_mixpanel_has(emulator, admin):
    lifecycle, resource_id, outputs, news = an_update_whose_edit_fails(emulator, admin)
    with pytest.raises(UpdateInterruptedError, match="Mixpanel took the pause of events-daily-gcs-raw") as failed:
        lifecycle.update(resource_id, outputs, news)
    reached = failed.value.state
    assert reached.inputs["paused"] is True and reached.inputs["events"] == ["Old"]  # the pause landed, not the edit
    assert admin.pipeline(resource_id)["paused"] is True
    admin.clear_faults()
    # Reverting the program is a change from what Mixpanel has: resume.
    back = lifecycle.check(reached.inputs, valid.inputs("gcs-raw", events=["Old"])).inputs
    assert lifecycle.diff(reached, back).pause is False


def test_without_partial_state_what_landed_is_taken_back(emulator, admin):
    lifecycle, resource_id, outputs, news = an_update_whose_edit_fails(emulator, admin, records_partial_results=False)
    with pytest.raises(MixpanelError, match="was taken back, so Mixpanel and the state still agree"):
        lifecycle.update(resource_id, outputs, news)
    assert [e["op"] for e in admin.requests() if e["status"] == 200] == ["pause", "resume"]
    assert admin.pipeline(resource_id)["paused"] is False


def test_a_pause_that_landed_on_one_pipeline_of_two_is_sent_again(emulator, admin):
    lifecycle = lifecycle_for(emulator.base_url)
    resource_id, outputs = created(lifecycle, valid.trial())
    news = lifecycle.check(outputs.inputs, valid.trial(paused=True)).inputs
    admin.fault("pause", "status", count=10, status=500, after=1)
    with pytest.raises(UpdateInterruptedError) as failed:
        lifecycle.update(resource_id, outputs, news)
    admin.clear_faults()
    reached = failed.value.state
    assert reached.inputs["paused"] is True and "paused" in reached.unverified_inputs
    admin.clear_requests()
    # The engine updates a resource that failed even when nothing else changed.
    finished = lifecycle.update(resource_id, reached, news)
    assert [e["op"] for e in admin.requests()] == ["pause", "pause"] and "paused" not in finished.unverified_inputs
    assert all(p["paused"] for p in admin.pipelines())


# --- adoption ------------------------------------------------------------------------------------


def test_a_replacement_never_adopts_the_pipeline_in_its_way(emulator, admin):
    lifecycle = lifecycle_for(emulator.base_url)
    _, ours = created(lifecycle, valid.inputs("gcs-raw", adopt_existing=True))
    theirs, _ = created(lifecycle, valid.inputs("gcs-raw", gcs_bucket="theirs", frequency="hourly", events=["X"]))
    changed = valid.inputs("gcs-raw", frequency="hourly", adopt_existing=True)
    assert lifecycle.diff(ours, lifecycle.check(ours.inputs, changed).inputs).replaces == ["frequency"]
    replacement = lifecycle.check({}, changed).inputs  # as the engine checks a replacement again: no olds
    assert replacement["adopt_existing"] is True
    with pytest.raises(PipelineExistsError, match="a replacement never takes over an existing pipeline"):
        lifecycle.create(replacement)
    assert admin.pipeline(theirs)["params"]["events"] == ["X"] and admin.requests("edit") == []


def test_adoption_leaves_a_paused_pipeline_paused_unless_the_program_says(emulator, admin):
    lifecycle = lifecycle_for(emulator.base_url)
    resource_id, _ = created(lifecycle, valid.inputs("gcs-raw", paused=True))
    adopting = lifecycle_for(emulator.base_url)
    _, adopted = created(adopting, valid.inputs("gcs-raw", adopt_existing=True))
    assert admin.pipeline(resource_id)["paused"] is True and admin.requests("resume") == []
    assert "paused" not in adopted.inputs and "paused" in adopted.unverified_inputs


# --- characters Mixpanel would get mangled -----------------------------------------------------------


@pytest.mark.parametrize("bad", ["bucket\x00", "line\nbreak", "carriage\rreturn", "tab\there", "del\x7f"])
def test_control_characters_are_refused_naming_the_property(bad):
    _, problems = validate_pipeline(valid.inputs("gcs-raw", gcs_bucket=bad), today=dt.date.today())
    assert [p.property for p in problems] == ["gcs_bucket"]
    assert "must not contain control characters" in problems[0].reason


def test_dates_take_ascii_digits_only():
    _, problems = validate_pipeline(valid.inputs("gcs-raw", from_date="٢٠٢٦-٠١-٠١"), today=dt.date.today())
    assert [(p.property, p.reason.split(" (")[0]) for p in problems] == [
        ("from_date", "must be a date written YYYY-MM-DD")
    ]


@pytest.mark.parametrize("bad", ["١٢٣", "²", "1\n"])
def test_a_project_id_in_other_digits_or_with_a_line_break_is_named(bad):
    settings = ProviderSettings.from_sources({"projectId": bad}, {})
    assert [p.property for p in settings.problems] == ["projectId"]
