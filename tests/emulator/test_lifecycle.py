"""cancel, pause, resume and edit."""

import pytest

from .emulator_support import fields_for


def admin_pipeline(api, name):
    return next(p for p in api.admin("GET", "pipelines").json()["pipelines"] if p["name"] == name)


# --- cancel ---------------------------------------------------------------------------------


def test_cancel_deletes_the_pipeline_with_its_history(api):
    (name,) = api.create(fields_for("aws"))
    response = api.post("cancel", {"name": name})
    assert response.status_code == 200
    assert api.admin("GET", "pipelines").json()["pipelines"] == []
    assert api.get("status", {"name": name}).status_code == 404
    assert api.get("jobs").json() == {}


def test_cancel_needs_a_known_name(api):
    assert "name" in api.post("cancel").json()["error"]
    assert api.post("cancel").status_code == 400
    response = api.post("cancel", {"name": "no-such-pipeline"})
    assert response.status_code == 404 and response.json()["status"] == "error"


def test_trial_pipelines_cannot_be_canceled(api):
    names = api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})
    response = api.post("cancel", {"name": names[0]})
    assert response.status_code == 400
    assert response.json()["error"].startswith("trial pipelines cannot be canceled")
    assert len(api.admin("GET", "pipelines").json()["pipelines"]) == 2


# --- pause / resume -------------------------------------------------------------------------


def test_pause_and_resume(api):
    (name,) = api.create(fields_for("gcs-raw"))
    assert api.post("pause", {"name": name}).status_code == 200
    assert admin_pipeline(api, name)["paused"] is True
    assert [job["name"] for job in api.get("jobs").json()["42"]] == [name]  # paused ones are listed
    assert api.post("pause", {"name": name}).status_code == 200  # idempotent
    assert api.post("resume", {"name": name}).status_code == 200
    assert admin_pipeline(api, name)["paused"] is False


@pytest.mark.parametrize("op", ["pause", "resume"])
def test_pause_and_resume_of_an_unknown_pipeline_is_404(api, op):
    assert api.post(op, {"name": "nope"}).status_code == 404
    assert api.post(op).status_code == 400


# --- edit -----------------------------------------------------------------------------------


def test_edit_replaces_events_and_where(api):
    (name,) = api.create([*fields_for("aws").items(), ("events", "A"), ("events", "B")])
    where = 'properties["x"] == 1'
    response = api.post("edit", [("name", name), ("events", "C"), ("events", "D, E"), ("where", where)])
    assert response.status_code == 200, response.text
    params = admin_pipeline(api, name)["params"]
    assert params["events"] == ["C", "D, E"]
    assert params["where"] == 'properties["x"] == 1'


def test_edit_azure_credentials_use_the_edit_names(api):
    (name,) = api.create(fields_for("azure-raw"))
    credentials = {"azure_client_id": "id2", "azure_client_secret": "s2", "azure_tenant_id": "t2"}
    response = api.post("edit", {"name": name, **credentials})
    assert response.status_code == 200, response.text
    params = admin_pipeline(api, name)["params"]
    assert (params["client_id"], params["client_secret"], params["tenant_id"]) == ("id2", "s2", "t2")
    refused = api.post("edit", {"name": name, "client_secret": "s3"})  # the create name is not editable
    assert refused.status_code == 400 and "client_secret" in refused.json()["error"]


def test_edit_bigquery_shares_are_only_added(api):
    names = api.create([("type", "bigquery"), ("from_date", "2024-06-01"), ("bq_share_with_group", "a@x.com")])
    shares = [("bq_share_with_group", "b@x.com"), ("bq_share_with_group", "a@x.com")]
    response = api.post("edit", [("name", names[0]), *shares])
    assert response.status_code == 200, response.text
    assert admin_pipeline(api, names[0])["params"]["bq_share_with_group"] == ["a@x.com", "b@x.com"]


def test_edit_shares_of_customer_hosted_bigquery_is_refused(api):
    (name,) = api.create(fields_for("bigquery"))
    response = api.post("edit", {"name": name, "bq_share_with_group": "a@x.com"})
    assert response.status_code == 400 and "bq_share_with_group" in response.json()["error"]


def test_edit_glue_on_aws(api):
    (name,) = api.create(fields_for("aws", use_glue="true", glue_database="d", glue_role="r"))
    response = api.post("edit", {"name": name, "glue_database": "d2", "glue_role": "r2", "glue_table_prefix": "t_"})
    assert response.status_code == 200, response.text
    params = admin_pipeline(api, name)["params"]
    assert (params["glue_database"], params["glue_role"], params["glue_table_prefix"]) == ("d2", "r2", "t_")


@pytest.mark.parametrize(
    "pipeline_type, field",
    [
        ("aws", "s3_bucket"),
        ("aws", "frequency"),
        ("gcs-schema", "glue_role"),
        ("s3-raw", "azure_client_id"),
        ("aws", "from_date"),
        ("bigquery", "bq_dataset_name"),
    ],
)
def test_edit_refuses_fields_that_are_not_editable(api, pipeline_type, field):
    (name,) = api.create(fields_for(pipeline_type))
    response = api.post("edit", {"name": name, field: "x"})
    assert response.status_code == 400 and field in response.json()["error"]


def test_edit_where_of_a_people_pipeline_is_refused(api):
    (name,) = api.create(fields_for("aws", data_source="people"))
    response = api.post("edit", {"name": name, "where": 'properties["x"]'})
    assert response.status_code == 400 and "where" in response.json()["error"]


def test_edit_needs_a_known_name(api):
    assert api.post("edit", {"events": "A"}).status_code == 400
    assert api.post("edit", {"name": "nope", "events": "A"}).status_code == 404
