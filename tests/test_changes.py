"""Update versus replace, decided without any API call."""

from pulumi_mixpanel.changes import edits_for_pipeline, plan_changes


class NotKnownYet:
    pass


AWS = dict(type="aws", s3_bucket="acme", s3_region="us-east-1", s3_role="r", from_date="2026-11-01",
           use_glue=True, glue_database="db", glue_role="gr", events=["Signup"], paused=False)


def test_no_change_is_no_change_and_outputs_and_provider_are_ignored():
    old = {**AWS, "pipeline_names": ["events-daily-aws-monoschema"], "status": {"succeeded": 3}, "__provider": "a"}
    plan = plan_changes(old, {**AWS, "__provider": "b"})
    assert not plan.has_changes and plan.replaces == []


def test_provider_only_settings_change_nothing():
    assert not plan_changes(AWS, {**AWS, "adopt_existing": True, "api_mode": "current"}).has_changes


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
    same_name = plan_changes(AWS, {**AWS, "s3_bucket": "other"})
    assert same_name.delete_before_replace


def test_paused_goes_through_pause_and_resume():
    assert plan_changes(AWS, {**AWS, "paused": True}).pause is True
    assert plan_changes({**AWS, "paused": True}, AWS).pause is False


def test_removing_an_editable_field_replaces():
    assert plan_changes(AWS, {**AWS, "events": None}).replaces == ["events"]


def test_azure_credentials_use_the_edit_names():
    azure = dict(type="azure-blob", storage_account="s", container_name="c", client_id="a", client_secret="b",
                 tenant_id="t", from_date="2026-11-01")
    plan = plan_changes(azure, {**azure, "client_secret": "new", "tenant_id": "t2"})
    assert plan.edits == {"azure_client_secret": "new", "azure_tenant_id": "t2"} and not plan.replaces


def test_bigquery_shares_can_only_be_added():
    bq = dict(type="bigquery", trial=True, bq_share_with_group=["a@x.com"])
    assert plan_changes(bq, {**bq, "bq_share_with_group": ["a@x.com", "b@x.com"]}).edits == {
        "bq_share_with_group": ["b@x.com"]}
    assert plan_changes(bq, {**bq, "bq_share_with_group": ["b@x.com"]}).replaces == ["bq_share_with_group"]


def test_a_type_change_replaces():
    plan = plan_changes(AWS, {**AWS, "type": "s3-raw"})
    assert plan.replaces == ["type"] and plan.delete_before_replace


def test_unknown_values_count_as_changes_of_their_kind():
    unknown = NotKnownYet()
    assert plan_changes(AWS, {**AWS, "s3_bucket": unknown}).replaces == ["s3_bucket"]
    plan = plan_changes(AWS, {**AWS, "events": unknown})
    assert plan.has_changes and plan.replaces == []


def test_people_pipelines_get_no_event_filters():
    plan = plan_changes(AWS, {**AWS, "events": ["A"], "glue_role": "g2"})
    assert edits_for_pipeline(plan, "trial-people-daily-aws-monoschema") == {"glue_role": "g2"}
    assert edits_for_pipeline(plan, "trial-events-daily-aws-monoschema") == {"events": ["A"], "glue_role": "g2"}
