"""Project limits: 2 recurring + 1 non-recurring events pipelines, frequencies, destinations."""

from .emulator_support import fields_for


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
    again = api.post("create", {"type": "snowflake", "from_date": "2024-06-01", "snowflake_share_with": "acct",
                                "frequency": "hourly"})
    assert "same destination" in error_of(again)


def test_a_name_that_exists_is_refused(api):
    api.create(fields_for("aws", data_source="people"))
    response = api.post("create", fields_for("aws", data_source="people", s3_bucket="other"))
    assert error_of(response) == "pipeline people-daily-aws-monoschema already exists"


def test_trials_count_as_recurring_daily_events_pipelines(api):
    api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})
    assert "frequency" in error_of(api.post("create", fields_for("gcs-raw")))


def test_relax_limits_lifts_counts_and_renames_clashes(make_emulator):
    from .emulator_support import Api

    api = Api(make_emulator(relax_limits=True).base_url)
    assert api.create(fields_for("gcs-raw")) == ["events-daily-gcs-raw"]
    assert api.create(fields_for("gcs-raw", gcs_prefix="b/")) == ["events-daily-gcs-raw-2"]
    assert api.create(fields_for("gcs-raw", gcs_prefix="c/")) == ["events-daily-gcs-raw-3"]
    assert api.create(fields_for("s3-raw", to_date="2024-06-02")) == ["events-daily-s3-raw"]
    assert api.create(fields_for("s3-raw", to_date="2024-06-02", s3_prefix="x/")) == ["events-daily-s3-raw-2"]
    # Destination uniqueness still applies.
    assert "same destination" in error_of(api.post("create", fields_for("gcs-raw", gcs_prefix="b/")))
