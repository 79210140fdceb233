"""create: per-type validation (both generations), names, repeated keys, atomicity."""

import pytest

from .emulator_support import VALID_FIELDS, fields_for

# --- the classic doc's four example requests (API secret auth, no project_id) ---------------


def test_classic_example_bigquery_trial(classic_api):
    response = classic_api.post(
        "create", {"type": "bigquery", "trial": "true", "bq_share_with_group": "bq-access-alias@somecompany.com"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pipeline_names"] == [
        "trial-events-daily-bigquery-monoschema",
        "trial-people-daily-bigquery-monoschema",
    ]
    assert body["bigquery_dataset_name"].startswith("https://bigquery.cloud.google.com/dataset/mixpanel-prod-1:")


def test_classic_example_snowflake_trial(classic_api):
    response = classic_api.post(
        "create", {"type": "snowflake", "trial": "true", "snowflake_share_with": "mysnowflakeaccountname"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "pipeline_names": ["trial-events-daily-snowflake-monoschema", "trial-people-daily-snowflake-monoschema"]
    }


def test_classic_example_aws_with_glue(classic_api):
    names = classic_api.create(
        {
            "type": "aws",
            "trial": "true",
            "s3_bucket": "example-s3-bucket",
            "s3_region": "us-east-1",
            "s3_prefix": "example_custom_prefix",
            "s3_role": "arn:aws:iam::<account-id>:role/example-s3-role",
            "use_glue": "true",
            "glue_database": "example-glue-db",
            "glue_role": "arn:aws:iam::<account-id>:role/example-glue-role",
            "glue_table_prefix": "example_table_prefix",
        }
    )
    assert names == ["trial-events-daily-aws-monoschema", "trial-people-daily-aws-monoschema"]


def test_classic_example_azure_blob_parquet_multischema(classic_api):
    names = classic_api.create(
        {
            "type": "azure-blob",
            "trial": "true",
            "data_format": "parquet",
            "storage_account": "mystorageaccount",
            "container_name": "mixpanel-export",
            "prefix": "custom_prefix/for/data",
            "schema_type": "multischema",
            "client_id": "REDACTED",
            "client_secret": "REDACTED",
            "tenant_id": "REDACTED",
        }
    )
    # people data is always monoschema
    assert names == ["trial-events-daily-azure-blob-multischema", "trial-people-daily-azure-blob-monoschema"]


# --- every type, current generation ---------------------------------------------------------


@pytest.mark.parametrize(
    "pipeline_type, expected",
    [
        ("bigquery", "events-daily-bigquery-monoschema"),
        ("snowflake", "events-daily-snowflake-monoschema"),
        ("aws", "events-daily-aws-monoschema"),
        ("azure-blob", "events-daily-azure-blob-monoschema"),
        ("gcs-schema", "events-daily-gcs-schema-monoschema"),
        ("s3-raw", "events-daily-s3-raw"),
        ("gcs-raw", "events-daily-gcs-raw"),
        ("azure-raw", "events-daily-azure-raw"),
    ],
)
def test_minimal_create_per_type(api, pipeline_type, expected):
    response = api.post("create", fields_for(pipeline_type))
    assert response.status_code == 200, response.text
    assert response.json() == {"pipeline_names": [expected]}  # no dataset URL unless Mixpanel-hosted BigQuery


def test_names_follow_frequency_schema_and_source(api):
    assert api.create(fields_for("s3-raw", frequency="hourly")) == ["events-hourly-s3-raw"]
    assert api.create(fields_for("gcs-schema", schema_type="multischema")) == ["events-daily-gcs-schema-multischema"]
    assert api.create(fields_for("aws", data_source="people")) == ["people-daily-aws-monoschema"]


def test_trial_with_explicit_data_source_makes_one_pipeline(api):
    assert api.create(fields_for("gcs-schema", trial="true", data_source="events")) == [
        "trial-events-daily-gcs-schema-monoschema"
    ]


def test_raw_trial_exports_events_only(api):
    assert api.create({"type": "gcs-raw", "trial": "true", **VALID_FIELDS["gcs-raw"]}) == ["trial-events-daily-gcs-raw"]


def test_trial_from_date_defaults_to_yesterday(api):
    api.create({"type": "gcs-raw", "trial": "True", **VALID_FIELDS["gcs-raw"]})  # booleans are case-insensitive
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert pipeline["from_date"] == "2024-06-14" and pipeline["trial"] is True


def test_classic_bigquery_region_enum(api):
    classic = {"type": "bigquery", "from_date": "2024-06-01", "bq_share_with_group": "g@x.com"}
    ok = api.post("create", {**classic, "bq_region": "EU"})
    assert ok.status_code == 200, ok.text
    assert "bigquery_dataset_name" in ok.json()
    bad = api.post("create", {**classic, "bq_region": "US_EAST_4", "frequency": "hourly"})  # a current-only region
    assert bad.status_code == 400 and "bq_region" in bad.json()["error"]


def test_customer_hosted_bigquery_accepts_the_long_region_enum_and_prefix(api):
    assert api.create(fields_for("bigquery", bq_region="AUSTRALIA_SOUTHEAST_1", bq_prefix="mp_")) == [
        "events-daily-bigquery-monoschema"
    ]


# --- refusals, each naming the parameter -----------------------------------------------------


def assert_bad_request(response, *words):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == "error"
    for word in words:
        assert word in body["error"], (word, body["error"])


@pytest.mark.parametrize(
    "pipeline_type, missing",
    [
        ("bigquery", "bq_dataset_name"),
        ("bigquery", "gcp_project"),
        ("snowflake", "snowflake_password"),
        ("snowflake", "snowflake_warehouse"),
        ("aws", "s3_bucket"),
        ("aws", "s3_region"),
        ("s3-raw", "s3_bucket"),
        ("azure-blob", "client_secret"),
        ("azure-raw", "tenant_id"),
        ("azure-raw", "storage_account"),
        ("gcs-schema", "gcs_bucket"),
        ("gcs-raw", "gcs_region"),
    ],
)
def test_missing_required_parameter(api, pipeline_type, missing):
    fields = fields_for(pipeline_type)
    del fields[missing]
    assert_bad_request(api.post("create", fields), missing)


def test_bigquery_needs_one_generation_or_the_other(api):
    neither = {"type": "bigquery", "from_date": "2024-06-01"}
    assert_bad_request(api.post("create", neither), "bq_share_with_group", "gcp_project")
    mixed = fields_for("bigquery", bq_share_with_group="g@x.com")
    assert_bad_request(api.post("create", mixed), "bq_share_with_group", "gcp_project")


def test_snowflake_generations_cannot_mix(api):
    mixed = fields_for("snowflake", snowflake_share_with="acct")
    assert_bad_request(api.post("create", mixed), "snowflake_share_with")
    assert_bad_request(api.post("create", {"type": "snowflake", "from_date": "2024-06-01"}), "snowflake_share_with")


def test_s3_role_is_optional(api):
    fields = fields_for("aws")
    del fields["s3_role"]
    assert api.create(fields) == ["events-daily-aws-monoschema"]


@pytest.mark.parametrize(
    "pipeline_type, unknown",
    [
        ("s3-raw", "use_glue"),
        ("gcs-raw", "schema_type"),
        ("gcs-schema", "s3_bucket"),
        ("azure-blob", "azure_client_id"),  # an edit name, not a create name
        ("aws", "bogus"),
    ],
)
def test_unknown_parameter_for_the_type(api, pipeline_type, unknown):
    assert_bad_request(api.post("create", fields_for(pipeline_type, **{unknown: "x"})), unknown)


@pytest.mark.parametrize(
    "pipeline_type, field, value",
    [
        ("aws", "s3_region", "me-south-1"),  # in the OpenAPI's s3-raw list only
        ("aws", "s3_encryption", "des"),
        ("gcs-raw", "gcs_region", "mars-central1"),
        ("bigquery", "bq_region", "MOON"),
        ("aws", "schema_type", "polyschema"),
        ("aws", "data_source", "groups"),
        ("aws", "frequency", "weekly"),
        ("aws", "data_format", "csv"),
        ("gcs-raw", "data_format", "parquet"),  # raw types export JSON only
        ("bigquery", "data_format", "parquet"),
        ("s3-raw", "data_source", "people"),  # raw types export events only
        ("aws", "use_glue", "yes"),
        ("aws", "trial", "1"),
        ("aws", "sync", "maybe"),
        ("s3-raw", "sync", "true"),
    ],
)
def test_invalid_value(api, pipeline_type, field, value):
    assert_bad_request(api.post("create", fields_for(pipeline_type, **{field: value})), field)


def test_parquet_where_allowed(api):
    assert api.create(fields_for("gcs-schema", data_format="parquet")) == ["events-daily-gcs-schema-monoschema"]


def test_kms_key_only_with_kms_encryption(api):
    assert_bad_request(api.post("create", fields_for("aws", s3_kms_key_id="key")), "s3_kms_key_id")
    assert api.create(fields_for("s3-raw", s3_encryption="kms", s3_kms_key_id="key")) == ["events-daily-s3-raw"]


def test_glue_needs_database_and_role(api):
    assert_bad_request(api.post("create", fields_for("aws", use_glue="true", glue_role="r")), "glue_database")
    assert_bad_request(api.post("create", fields_for("aws", use_glue="true", glue_database="d")), "glue_role")


def test_people_data_is_monoschema_and_has_no_where(api):
    multischema = fields_for("aws", data_source="people", schema_type="multischema")
    assert_bad_request(api.post("create", multischema), "schema_type")
    assert_bad_request(api.post("create", fields_for("aws", data_source="people", where='properties["x"]')), "where")


def test_export_window_rules(api):
    no_from = fields_for("aws")
    del no_from["from_date"]
    assert_bad_request(api.post("create", no_from), "from_date")
    assert_bad_request(api.post("create", fields_for("aws", from_date="2024/06/01")), "from_date")
    assert_bad_request(api.post("create", fields_for("aws", from_date="2024-02-30")), "from_date")
    assert_bad_request(api.post("create", fields_for("aws", from_date="2024-06-16")), "from_date", "future")
    assert_bad_request(api.post("create", fields_for("aws", from_date="2023-12-14")), "from_date", "six months")
    assert_bad_request(api.post("create", fields_for("aws", to_date="2024-05-31")), "to_date")
    assert_bad_request(api.post("create", fields_for("aws", to_date="2024-06-10", frequency="daily")), "frequency")
    oldest = fields_for("aws", from_date="2023-12-15", to_date="2024-01-15")  # exactly six months back
    assert api.create(oldest) == ["events-daily-aws-monoschema"]


def test_type_must_be_given_exactly_once(api):
    assert_bad_request(api.post("create", {"from_date": "2024-06-01"}), "type")
    assert_bad_request(api.post("create", [("type", "aws"), ("type", "gcs-raw"), ("from_date", "2024-06-01")]), "type")
    assert_bad_request(api.post("create", fields_for("gcs-raw", type="gcs")), "type")


def test_repeated_keys_are_lists_and_commas_are_not_split(api):
    fields = [*fields_for("aws").items(), ("events", "Signup"), ("events", "Purchase, Inc"), ("events", "a,b")]
    api.create(fields)
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    assert pipeline["params"]["events"] == ["Signup", "Purchase, Inc", "a,b"]
    assert pipeline["params"]["type"] == ["aws"]


def test_single_valued_parameter_given_twice_is_refused(api):
    fields = [*fields_for("aws").items(), ("s3_prefix", "a"), ("s3_prefix", "b")]
    assert_bad_request(api.post("create", fields), "s3_prefix")


def test_a_refused_create_creates_nothing(api):
    api.create(fields_for("gcs-raw"))  # a recurring daily events pipeline
    # The trial's events pipeline breaks the frequency rule, so its people pipeline must not appear either.
    response = api.post("create", {"type": "bigquery", "trial": "true", "bq_share_with_group": "g@x.com"})
    assert response.status_code == 400
    names = [p["name"] for p in api.admin("GET", "pipelines").json()["pipelines"]]
    assert names == ["events-daily-gcs-raw"]
