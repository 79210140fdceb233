"""The lifecycle rules both front ends share, against the emulator over real HTTP.

Each test here guards one way the state could claim what Mixpanel does not have.
"""

from __future__ import annotations

import datetime as dt

import pytest

from harness import inputs as valid
from pulumi_mixpanel.core.client import MixpanelClient
from pulumi_mixpanel.core.errors import (
    AdoptionConflictError,
    BadRequestError,
    PipelineExistsError,
    TransportError,
    TrialPipelineCannotBeDeleted,
    UnrestorablePipelinesError,
)
from pulumi_mixpanel.core.lifecycle import JOBS_IDLE_SECONDS, JOBS_MAX_AGE_SECONDS, PipelineLifecycle, default_client
from pulumi_mixpanel.core.settings import ProviderSettings


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lifecycle_for(emulator, monotonic=None, client_factory=None) -> PipelineLifecycle:
    settings = ProviderSettings.from_sources({"endpoint": emulator.base_url, "apiSecret": "emulator-api-secret"}, {})
    return PipelineLifecycle(
        settings, monotonic=monotonic or FakeMonotonic(), sleep=lambda _: None, client_factory=client_factory
    )


def created(lifecycle, values):
    """(resource id, state) of a resource created as the engine creates it: check, then create."""
    outcome = lifecycle.check({}, values)
    assert outcome.problems == []
    state = lifecycle.create(outcome.inputs)
    return state.resource_id, state


# --- refresh -----------------------------------------------------------------------------------


def test_a_refresh_of_pipelines_status_knows_lists_no_jobs(emulator, admin):
    lifecycle = lifecycle_for(emulator, FakeMonotonic())
    resources = [
        created(lifecycle, valid.inputs("gcs-raw", gcs_bucket="a")),
        created(lifecycle, valid.inputs("gcs-raw", gcs_bucket="b", frequency="hourly")),
    ]
    admin.clear_requests()
    for _ in range(10):
        for resource_id, outputs in resources:
            assert lifecycle.read(resource_id, outputs).resource_id == resource_id
    assert [e["op"] for e in admin.requests()] == ["status"] * 20


def gone_resources(lifecycle, admin, count):
    """Resources whose pipelines were cancelled outside Pulumi: status no longer knows them."""
    resources = [created(lifecycle, values) for values in valid.distinct(count, tag="gone-")]
    for resource_id, _ in resources:
        admin.cancel_behind_the_back(resource_id)
    admin.clear_requests()
    return resources


def test_reads_status_does_not_know_share_one_listing_in_a_burst(emulator, admin):
    clock = FakeMonotonic()
    lifecycle = lifecycle_for(emulator, clock)
    resources = gone_resources(lifecycle, admin, 2)
    for _ in range(5):  # a long refresh: reads keep coming, each within the idle gap
        for resource_id, outputs in resources:
            assert lifecycle.read(resource_id, outputs) is None
        clock.now += JOBS_IDLE_SECONDS * 0.9
    assert len(admin.requests("jobs")) == 1
    assert len(admin.requests("status")) == 10


def test_a_pause_in_reads_or_a_long_burst_lists_again(emulator, admin):
    clock = FakeMonotonic()
    lifecycle = lifecycle_for(emulator, clock)
    ((resource_id, outputs),) = gone_resources(lifecycle, admin, 1)
    lifecycle.read(resource_id, outputs)
    clock.now += JOBS_IDLE_SECONDS + 0.1
    lifecycle.read(resource_id, outputs)
    assert len(admin.requests("jobs")) == 2
    while clock.now < 1000 + JOBS_MAX_AGE_SECONDS + JOBS_IDLE_SECONDS * 2:
        lifecycle.read(resource_id, outputs)
        clock.now += JOBS_IDLE_SECONDS * 0.5
    assert len(admin.requests("jobs")) == 3


def test_a_stale_listing_never_makes_a_cancelled_pipeline_present(emulator, admin):
    lifecycle = lifecycle_for(emulator)
    (gone_id, gone_outputs), (resource_id, outputs) = [created(lifecycle, values) for values in valid.distinct(2)]
    admin.cancel_behind_the_back(gone_id)
    assert lifecycle.read(gone_id, gone_outputs) is None  # the burst's listing shows the other one
    admin.cancel_behind_the_back(resource_id)
    admin.clear_requests()
    assert lifecycle.read(resource_id, outputs) is None  # status does not know it: listed afresh
    assert [e["op"] for e in admin.requests()] == ["status", "jobs"]  # the stale listing had it


def test_the_providers_own_changes_are_seen_by_the_next_read(emulator):
    lifecycle = lifecycle_for(emulator)
    resource_id, outputs = created(lifecycle, valid.inputs("gcs-raw"))
    lifecycle.read(resource_id, outputs)
    lifecycle.delete(resource_id, outputs)
    assert lifecycle.read(resource_id, outputs) is None


# --- create exactly once ------------------------------------------------------------------------


def test_a_pipeline_that_existed_before_is_never_adopted_by_a_create(emulator, admin):
    lifecycle = lifecycle_for(emulator)
    created(lifecycle, valid.inputs("gcs-raw", gcs_bucket="first"))
    admin.clear_requests()
    other = PipelineLifecycle(lifecycle.settings)  # another `pulumi up`, same name pattern, new bucket
    with pytest.raises(PipelineExistsError, match="adopt_existing=True"):
        created(other, valid.inputs("gcs-raw", gcs_bucket="second"))
    assert admin.requests("create") == []
    assert [p["params"]["gcs_bucket"] for p in admin.pipelines()] == ["first"]


def test_a_lost_answer_adopts_the_pipeline_that_create_made(emulator, admin):
    lifecycle = lifecycle_for(emulator)
    admin.fault("create", "drop_after_commit", count=1)
    resource_id, outputs = created(lifecycle, valid.inputs("gcs-raw"))
    assert resource_id == "events-daily-gcs-raw" and outputs.pipeline_names == [resource_id]
    assert len(admin.requests("create")) == 1 and len(admin.pipelines()) == 1


class InterleavingClient:
    """The real client, but the first create of `victim` lets `rival` create first and then
    loses its own answer without sending it: two operations racing for one name."""

    def __init__(self, client: MixpanelClient, race) -> None:
        self._client = client
        self._race = race

    def __getattr__(self, name):
        return getattr(self._client, name)

    def create(self, fields):
        if self._race is not None:
            race, self._race = self._race, None
            race()
            raise TransportError("connection reset", operation="create", may_have_reached_server=True)
        return self._client.create(fields)


def test_a_lost_answer_never_adopts_a_pipeline_another_operation_claimed(emulator, admin):
    holder: dict = {}

    def factory(settings):
        return InterleavingClient(
            default_client(settings),
            lambda: holder.setdefault(
                "rival",
                holder["lifecycle"].create(
                    holder["lifecycle"].check({}, valid.inputs("gcs-raw", gcs_bucket="rival")).inputs
                ),
            ),
        )

    lifecycle = lifecycle_for(emulator, client_factory=factory)
    holder["lifecycle"] = lifecycle
    with pytest.raises(BadRequestError, match="already exists"):
        created(lifecycle, valid.inputs("gcs-raw", gcs_bucket="victim"))
    rival = holder["rival"]
    assert rival.resource_id == "events-daily-gcs-raw" and rival.inputs["gcs_bucket"] == "rival"
    assert [p["params"]["gcs_bucket"] for p in admin.pipelines()] == ["rival"]


def test_a_failure_after_the_create_was_sent_goes_through_the_recovery(emulator, admin, monkeypatch):
    lifecycle = lifecycle_for(emulator)
    client = lifecycle.client()
    real_send = client._session.send

    def send_then_fail(request, **kwargs):
        response = real_send(request, **kwargs)
        if request.url.endswith("/create"):
            raise OverflowError("timeout doesn't fit into C timeval")  # the committed create's answer is lost
        return response

    monkeypatch.setattr(client._session, "send", send_then_fail)
    resource_id, _ = created(lifecycle, valid.inputs("gcs-raw"))
    assert resource_id == "events-daily-gcs-raw"
    assert len(admin.requests("create")) == 1 and len(admin.pipelines()) == 1


# --- adoption ---------------------------------------------------------------------------------------


def existing(emulator, values):
    """A pipeline made outside Pulumi, e.g. with curl."""
    lifecycle = lifecycle_for(emulator)
    return created(lifecycle, values)


def test_adoption_pushes_every_editable_field_and_names_what_it_could_not_verify(emulator, admin):
    existing(emulator, valid.inputs("azure-blob", events=["Old"], client_id="old-id", client_secret="old/secret+"))
    admin.clear_requests()
    lifecycle = lifecycle_for(emulator)
    resource_id, outputs = created(
        lifecycle,
        valid.inputs(
            "azure-blob",
            events=["Signup"],
            where='properties["plan"] == "pro"',
            client_id="new-id",
            adopt_existing=True,
        ),
    )
    assert [e["op"] for e in admin.requests()] == ["jobs", "edit"]  # no pause state stated: none sent
    params = admin.pipeline(resource_id)["params"]
    assert params["events"] == ["Signup"] and params["where"] == 'properties["plan"] == "pro"'
    assert params["client_id"] == "new-id" and params["client_secret"] == valid.CLIENT_SECRET
    assert outputs.unverified_inputs == ["container_name", "data_format", "from_date", "paused", "storage_account"]
    assert "paused" not in outputs.inputs and admin.requests("create") == []


def test_adoption_takes_the_pipelines_sync_when_the_program_leaves_it_unset(emulator):
    existing(emulator, valid.inputs("gcs-schema", api_mode="classic"))  # classic sends sync=false
    _, outputs = created(lifecycle_for(emulator), valid.inputs("gcs-schema", adopt_existing=True))
    assert outputs.inputs["sync"] is False and "sync" not in outputs.unverified_inputs


def test_adoption_refuses_a_sync_that_differs_from_the_program(emulator):
    existing(emulator, valid.inputs("gcs-schema", api_mode="classic"))
    with pytest.raises(AdoptionConflictError, match="sync_enabled=false"):
        created(lifecycle_for(emulator), valid.inputs("gcs-schema", sync=True, adopt_existing=True))


def test_adoption_pauses_or_resumes_as_the_program_says(emulator, admin):
    resource_id, _ = existing(emulator, valid.inputs("gcs-raw"))
    created(lifecycle_for(emulator), valid.inputs("gcs-raw", paused=True, adopt_existing=True))
    assert admin.pipeline(resource_id)["paused"] is True


def test_adopting_part_of_a_trial_is_refused(emulator, admin):
    _, _ = existing(emulator, valid.trial())
    admin.cancel_behind_the_back("trial-people-daily-bigquery-monoschema")
    with pytest.raises(AdoptionConflictError, match="trial-people-daily-bigquery-monoschema does not"):
        created(lifecycle_for(emulator), valid.trial(adopt_existing=True))


# --- import ----------------------------------------------------------------------------------------


def test_import_recovers_what_the_names_and_the_jobs_listing_tell(emulator):
    existing(emulator, valid.inputs("gcs-schema", frequency="hourly", schema_type="multischema"))
    inputs, outputs = lifecycle_for(emulator).import_pipelines("events-hourly-gcs-schema-multischema", "gcs-schema")
    assert inputs == {
        "type": "gcs-schema",
        "adopt_existing": True,
        "frequency": "hourly",
        "schema_type": "multischema",
        "sync": True,
    }
    assert outputs.pipeline_names == ["events-hourly-gcs-schema-multischema"]
    assert {"gcs_bucket", "gcs_region", "from_date", "paused"} <= set(outputs.unverified_inputs)


def test_import_of_a_trial_takes_both_names_as_one_resource(emulator):
    existing(emulator, valid.trial())
    ids = "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema"
    inputs, outputs = lifecycle_for(emulator).import_pipelines(ids, "bigquery")
    assert inputs == {"type": "bigquery", "adopt_existing": True, "trial": True, "sync": False}
    assert outputs.pipeline_names == ids.split(",")


@pytest.mark.parametrize(
    "resource_id, pipeline_type, message",
    [
        ("events-daily-gcs-raw", "s3-raw", "import it as the resource for gcs-raw"),
        ("foo-bq-pipeline", "bigquery", "is not a name Mixpanel gives a pipeline"),
        ("events-daily-s3-raw", "s3-raw", "the project has no pipeline named events-daily-s3-raw"),
        ("events-daily-gcs-raw,events-hourly-gcs-raw", "gcs-raw", "only for a trial"),
    ],
)
def test_import_names_what_is_wrong_with_the_id(emulator, resource_id, pipeline_type, message):
    existing(emulator, valid.inputs("gcs-raw"))
    with pytest.raises(Exception, match=message):
        lifecycle_for(emulator).import_pipelines(resource_id, pipeline_type)


def test_after_an_import_the_program_with_its_own_values_is_no_change(emulator):
    existing(emulator, valid.inputs("gcs-raw", frequency="hourly"))
    lifecycle = lifecycle_for(emulator)
    imported_inputs, state = lifecycle.import_pipelines("events-hourly-gcs-raw", "gcs-raw")
    program = lifecycle.check(imported_inputs, valid.inputs("gcs-raw", frequency="hourly")).inputs
    assert not lifecycle.diff(state, program).has_changes
    # Once the engine holds the program's inputs, a real change of an unverified field shows.
    moved = lifecycle.check(program, {**program, "gcs_bucket": "elsewhere"}).inputs
    assert lifecycle.diff(state, moved, old_inputs=program).replaces == ["gcs_bucket"]


# --- trials ------------------------------------------------------------------------------------------


def test_a_trial_that_lost_a_pipeline_explains_why_it_cannot_come_back(emulator, admin):
    lifecycle = lifecycle_for(emulator)
    trial_id, outputs = created(lifecycle, valid.trial())
    admin.cancel_behind_the_back("trial-people-daily-bigquery-monoschema")
    refreshed = lifecycle.read(trial_id, outputs)
    refreshed_id = refreshed.resource_id
    assert refreshed_id == "trial-events-daily-bigquery-monoschema"
    program = lifecycle.check(outputs.inputs, valid.trial()).inputs
    with pytest.raises(UnrestorablePipelinesError) as raised:
        lifecycle.diff(refreshed, program)
    message = str(raised.value)
    assert "trial-people-daily-bigquery-monoschema" in message and "one trial per project" in message
    assert "data_source='events'" in message and "retain_on_delete" in message
    narrowed = lifecycle.check(outputs.inputs, valid.trial(data_source="events"))
    assert narrowed.problems == []
    plan = lifecycle.diff(refreshed, narrowed.inputs)
    assert plan.replaces == [] and plan.narrowed_to == "events"
    updated = lifecycle.update(refreshed_id, refreshed, narrowed.inputs)
    assert updated.pipeline_names == ["trial-events-daily-bigquery-monoschema"]


def test_narrowing_a_trial_whose_pipelines_both_run_is_refused(emulator):
    lifecycle = lifecycle_for(emulator)
    trial_id, outputs = created(lifecycle, valid.trial())
    narrowed = lifecycle.check(outputs.inputs, valid.trial(data_source="events")).inputs
    with pytest.raises(TrialPipelineCannotBeDeleted, match="would leave trial-people-daily-bigquery-monoschema"):
        lifecycle.update(trial_id, outputs, narrowed)


def test_a_change_that_would_replace_a_trial_fails_at_check(emulator):
    lifecycle = lifecycle_for(emulator)
    olds = lifecycle.check({}, valid.trial()).inputs
    outcome = lifecycle.check(olds, valid.trial(schema_type="multischema"))
    assert [p.property for p in outcome.problems] == ["schema_type"]
    assert "a trial pipeline cannot be replaced" in outcome.problems[0].reason
    # Adding a share is an edit, never a replacement.
    assert (
        lifecycle.check(olds, valid.trial(bq_share_with_group=["bq-access-alias@somecompany.com", "b@x.com"])).problems
        == []
    )
    assert lifecycle.check(olds, valid.trial(events=["Signup"])).problems == []


# --- update --------------------------------------------------------------------------------------------


def test_changing_only_the_api_mode_keeps_sync_and_makes_no_call(emulator, admin):
    lifecycle = lifecycle_for(emulator)
    _, outputs = created(lifecycle, valid.inputs("gcs-schema"))
    news = lifecycle.check(outputs.inputs, valid.inputs("gcs-schema", api_mode="classic")).inputs
    assert not lifecycle.diff(outputs, news).has_changes
    assert outputs.inputs["sync"] is True


def test_an_update_pushes_unverified_editable_fields_and_records_them_as_verified(emulator, admin):
    existing(emulator, valid.inputs("gcs-raw", frequency="hourly", events=["Old"]))
    lifecycle = lifecycle_for(emulator)
    _, state = lifecycle.import_pipelines("events-hourly-gcs-raw", "gcs-raw")
    where = 'properties["plan"] == "pro"'
    filled_in = lifecycle.check({}, valid.inputs("gcs-raw", frequency="hourly", events=["Old"], where=where)).inputs
    assert not lifecycle.diff(state, filled_in).has_changes  # the program's word, after an import
    changed = lifecycle.check(filled_in, {**filled_in, "events": ["Signup"], "paused": True}).inputs
    plan = lifecycle.diff(state, changed, old_inputs=filled_in)
    assert sorted(plan.changed) == ["events", "paused"] and plan.replaces == []
    admin.clear_requests()
    outputs = lifecycle.update("events-hourly-gcs-raw", state, changed, old_inputs=filled_in)
    assert [e["op"] for e in admin.requests()] == ["pause", "edit"]  # pause first: it can be taken back
    edit = admin.requests("edit")[0]["form"]
    assert edit["events"] == ["Signup"] and edit["where"] == [where]  # where went along: it was unverified
    assert not {"events", "where", "paused"} & set(outputs.unverified_inputs)
    assert "gcs_bucket" in outputs.unverified_inputs and outputs.inputs["events"] == ["Signup"]


def test_check_uses_today_from_the_injected_clock(emulator):
    settings = ProviderSettings.from_sources({"endpoint": emulator.base_url}, {})
    later = PipelineLifecycle(settings, clock=lambda: dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    assert "six months" in later.check({}, valid.inputs("gcs-raw")).problems[0].reason
