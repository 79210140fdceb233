"""Project limits: 2 recurring + 1 non-recurring events pipelines, frequencies, destinations."""

import pytest

from .emulator_support import VALID_FIELDS, Api, fields_for


def error_of(response) -> str:
    assert response.status_code == 400, response.text
    return response.json()["error"]


def test_two_recurring_and_one_non_recurring_events_pipelines(api):
    api.create(fields_for("gcs-raw"))  # recurring daily
    api.create(fields_for("s3-raw", frequency="hourly"))  # recurring hourly
    api.create(fields_for("azure-raw", to_date="2024-06-10"))  # non-recurring
    third_recurring = api.post("create", fields_for("gcs-schema", frequency="hourly"))
    assert "at most 2 recurring" in error_of(third_recurring)
    second_backfill = api.post("create", fields_for("aws", to_date="2024-06-10"))
    assert "non-recurring" in error_of(second_backfill)


def test_recurring_events_pipelines_must_differ_in_frequency(api):
    api.create(fields_for("gcs-raw"))
    assert "frequency" in error_of(api.post("create", fields_for("s3-raw")))
    assert api.create(fields_for("s3-raw", frequency="hourly")) == ["events-hourly-s3-raw"]


def test_people_pipelines_do_not_count_towards_the_events_limits(api):
    api.create(fields_for("gcs-raw"))
    api.create(fields_for("s3-raw", frequency="hourly"))
    assert api.create(fields_for("aws", data_source="people")) == ["people-daily-aws-monoschema"]


def test_no_two_pipelines_to_the_same_destination(api):
    api.create(fields_for("aws", data_source="people", s3_prefix="p/"))
    same = api.post("create", fields_for("aws", data_source="people", s3_prefix="p/", frequency="hourly"))
    assert "same destination" in error_of(same)
    assert api.create(fields_for("aws", data_source="people", s3_prefix="q/", frequency="hourly"))
    # The same bucket and prefix with another type is another destination.
    assert api.create(fields_for("s3-raw", s3_bucket="bucket", s3_prefix="p/"))


def test_same_snowflake_share_is_the_same_destination(api):
    api.create({"type": "snowflake", "from_date": "2024-06-01", "snowflake_share_with": "acct"})
    again = api.post(
        "create",
        {"type": "snowflake", "from_date": "2024-06-01", "snowflake_share_with": "acct", "frequency": "hourly"},
    )
    assert "same destination" in error_of(again)


def test_a_name_that_exists_is_refused(api):
    api.create(fields_for("aws", data_source="people"))
    response = api.post("create", fields_for("aws", data_source="people", s3_bucket="other"))
    assert error_of(response) == "pipeline people-daily-aws-monoschema already exists"


def test_trials_count_as_recurring_daily_events_pipelines(api):
    api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})
    assert "frequency" in error_of(api.post("create", fields_for("gcs-raw")))


def test_relax_limits_lifts_counts_but_never_renames(make_emulator):
    api = Api(make_emulator(relax_limits=True).base_url)
    assert api.create(fields_for("gcs-raw")) == ["events-daily-gcs-raw"]
    assert api.create(fields_for("s3-raw")) == ["events-daily-s3-raw"]  # frequencies may repeat
    assert api.create(fields_for("azure-raw")) == ["events-daily-azure-raw"]  # and counts grow
    # A name is `[trial-]<data_source>-<frequency>-<type>[-<schema_type>]` and identifies the pipeline:
    # another destination does not make another name.
    response = api.post("create", fields_for("gcs-raw", gcs_prefix="b/"))
    assert response.status_code == 400
    assert response.json() == {"error": "pipeline events-daily-gcs-raw already exists", "status": "error"}
    names = [p["name"] for p in api.admin("GET", "pipelines").json()["pipelines"]]
    assert names == ["events-daily-gcs-raw", "events-daily-s3-raw", "events-daily-azure-raw"]
    # Destination uniqueness still applies.
    assert "same destination" in error_of(api.post("create", fields_for("gcs-raw", frequency="hourly")))


@pytest.mark.parametrize("relax_limits", [False, True])
def test_a_trial_whose_people_name_is_taken_creates_neither_pipeline(make_emulator, relax_limits):
    api = Api(make_emulator(relax_limits=relax_limits).base_url)
    api.create({"type": "aws", "trial": "true", "data_source": "people", **VALID_FIELDS["aws"]})
    before = api.admin("GET", "pipelines").json()
    response = api.post("create", {"type": "aws", "trial": "true", **VALID_FIELDS["aws"], "s3_prefix": "other/"})
    assert response.status_code == 400
    assert response.json() == {"error": "pipeline trial-people-daily-aws-monoschema already exists", "status": "error"}
    assert api.admin("GET", "pipelines").json() == before  # trial-events-daily-aws-monoschema was not created


# --- one trial per project ----------------------------------------------------------------------


def test_one_trial_per_project_even_after_the_admin_api_removed_it(api):
    names = api.create({"type": "bigquery", "trial": "true", "bq_share_with_group": "a@x.com"})
    for name in names:
        assert api.admin("POST", f"pipelines/{name}/cancel").status_code == 200
    assert api.admin("GET", "pipelines").json() == {"pipelines": []}
    for second_trial in (
        {"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"},
        {"type": "gcs-raw", "trial": "true", **VALID_FIELDS["gcs-raw"]},
    ):
        assert "trial can be used once per project" in error_of(api.post("create", second_trial))
    assert api.admin("GET", "pipelines").json() == {"pipelines": []}
    assert api.create(fields_for("gcs-raw")) == ["events-daily-gcs-raw"]  # other creates still work
    # Only a reset gives the trial back.
    assert api.admin("POST", "reset").status_code == 200
    assert api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"}) == [
        "trial-events-daily-snowflake-monoschema",
        "trial-people-daily-snowflake-monoschema",
    ]


def test_a_people_only_trial_uses_the_projects_trial(api):
    api.create({"type": "aws", "trial": "true", "data_source": "people", **VALID_FIELDS["aws"]})
    refused = api.post("create", {"type": "gcs-schema", "trial": "true", **VALID_FIELDS["gcs-schema"]})
    assert error_of(refused) == (
        "project limit: the trial can be used once per project, and this project has used it "
        "(trial-people-daily-aws-monoschema)"
    )


def test_relax_limits_lifts_the_one_trial_limit(make_emulator):
    api = Api(make_emulator(relax_limits=True).base_url)
    assert api.create({"type": "bigquery", "trial": "true", "bq_share_with_group": "a@x.com"})
    assert api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"}) == [
        "trial-events-daily-snowflake-monoschema",
        "trial-people-daily-snowflake-monoschema",
    ]
