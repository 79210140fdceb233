"""Update versus replace, decided without any API call, comparing like with like."""

from __future__ import annotations

from harness import inputs as valid
from pulumi_mixpanel.core.changes import edits_for_pipeline, plan_changes
from pulumi_mixpanel.core.models import NOT_KNOWN, AwsPipelineArgs

AWS = {**valid.inputs("aws", events=["Signup"]), "paused": False, "frequency": "daily", "sync": True}


def test_no_change_is_no_change_and_outputs_and_provider_are_ignored():
    old = {**AWS, "pipeline_names": ["events-daily-aws-monoschema"], "status": {"succeeded": 3}, "__provider": "a"}
    plan = plan_changes(old, {**AWS, "__provider": "b"})
    assert not plan.has_changes and plan.replaces == []


def test_provider_only_settings_change_nothing():
    assert not plan_changes(AWS, {**AWS, "adopt_existing": True, "api_mode": "classic"}).has_changes


def test_a_create_time_default_left_unset_keeps_the_pipelines_value():
    # Changing api_mode re-defaulted sync and replaced the pipeline; unset now keeps it.
    plan = plan_changes(AWS, {**{k: v for k, v in AWS.items() if k != "sync"}, "api_mode": "classic"})
    assert not plan.has_changes and plan.kept == {"sync": True}
    assert plan_changes(AWS, {**AWS, "sync": False}).replaces == ["sync"]


def test_no_events_and_an_empty_list_are_both_all_events():
    everything = {**AWS, "events": None}
    assert not plan_changes(everything, {**everything, "events": []}).has_changes
    assert not plan_changes({**everything, "events": []}, everything).has_changes


def test_the_order_of_events_and_shares_is_no_change():
    assert not plan_changes({**AWS, "events": ["a", "b"]}, {**AWS, "events": ["b", "a"]}).has_changes
    bq = valid.trial(bq_share_with_group=["a@x.com", "b@x.com"])
    assert not plan_changes(bq, {**bq, "bq_share_with_group": ["b@x.com", "a@x.com"]}).has_changes


def test_an_unset_frequency_is_daily_as_the_name_says():
    assert not plan_changes({**AWS, "frequency": "daily"}, {**AWS, "frequency": None}).has_changes


def test_editable_fields_are_updates_through_edit():
    plan = plan_changes(AWS, {**AWS, "events": ["Signup", "Purchase"], "where": "x", "glue_role": "gr2"})
    assert plan.replaces == []
    assert plan.edits == {"events": ["Signup", "Purchase"], "where": "x", "glue_role": "gr2"}


def test_other_fields_replace_and_the_same_destination_is_deleted_first():
    plan = plan_changes(AWS, {**AWS, "from_date": "2026-11-02"})
    assert plan.replaces == ["from_date"] and plan.delete_before_replace


def test_a_new_destination_and_new_name_can_be_created_first():
    plan = plan_changes(AWS, {**AWS, "s3_bucket": "other", "frequency": "hourly"})
    assert set(plan.replaces) == {"s3_bucket", "frequency"}
    assert not plan.delete_before_replace
    assert plan_changes(AWS, {**AWS, "s3_bucket": "other"}).delete_before_replace


def test_paused_goes_through_pause_and_resume():
    assert plan_changes(AWS, {**AWS, "paused": True}).pause is True
    assert plan_changes({**AWS, "paused": True}, AWS).pause is False


def test_removing_an_event_filter_replaces():
    assert plan_changes(AWS, {**AWS, "events": None}).replaces == ["events"]


def test_azure_credentials_use_the_edit_names():
    azure = valid.inputs("azure-raw")
    plan = plan_changes(azure, {**azure, "client_secret": "new", "tenant_id": "t2"})
    assert plan.edits == {"azure_client_secret": "new", "azure_tenant_id": "t2"} and not plan.replaces


def test_bigquery_shares_can_only_be_added():
    bq = valid.trial(bq_share_with_group=["a@x.com"])
    assert plan_changes(bq, {**bq, "bq_share_with_group": ["a@x.com", "b@x.com"]}).edits == {
        "bq_share_with_group": ["b@x.com"]
    }
    assert plan_changes(bq, {**bq, "bq_share_with_group": ["b@x.com"]}).replaces == ["bq_share_with_group"]


def test_a_type_change_replaces():
    plan = plan_changes(AWS, {**AWS, "type": "s3-raw"})
    assert plan.replaces == ["type"] and plan.delete_before_replace


def test_unknown_values_count_as_changes_of_their_kind():
    assert plan_changes(AWS, {**AWS, "s3_bucket": NOT_KNOWN}).replaces == ["s3_bucket"]
    plan = plan_changes(AWS, {**AWS, "events": NOT_KNOWN})
    assert plan.has_changes and plan.replaces == []


def test_a_trial_narrowed_to_one_data_source_is_not_a_replacement():
    trial = valid.trial()
    plan = plan_changes(trial, {**trial, "data_source": "events"})
    assert plan.replaces == [] and plan.narrowed_to == "events"
    assert plan_changes(AWS, {**AWS, "data_source": "people"}).replaces == ["data_source"]


def test_people_pipelines_get_no_event_filters():
    plan = plan_changes(AWS, {**AWS, "events": ["A"], "glue_role": "g2"})
    aws = AwsPipelineArgs
    assert edits_for_pipeline(aws, plan.edits, "trial-people-daily-aws-monoschema") == {"glue_role": "g2"}
    assert edits_for_pipeline(aws, plan.edits, "trial-events-daily-aws-monoschema") == {
        "events": ["A"],
        "glue_role": "g2",
    }
