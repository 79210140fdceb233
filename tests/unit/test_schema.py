"""The plugin's schema: generated from the models and settings, checked in, and complete."""

from __future__ import annotations

import json

import pytest

from harness.servers import snake
from pulumi_mixpanel.core.models import CLASS_BY_TYPE
from pulumi_mixpanel.core.settings import SETTINGS
from pulumi_mixpanel.plugin.schema import TOKEN_BY_TYPE, checked_in_schema, generate_schema, render

SCHEMA = generate_schema()


def test_the_checked_in_schema_is_what_the_models_generate():
    assert checked_in_schema() == render(SCHEMA), (
        "regenerate: python -m pulumi_mixpanel.plugin.schema > provider/pulumi_mixpanel/plugin/schema.json"
    )


def test_one_resource_per_input_class_with_the_design_tokens():
    assert set(SCHEMA["resources"]) == {
        "mixpanel:index:BigQueryPipeline",
        "mixpanel:index:SnowflakePipeline",
        "mixpanel:index:AwsPipeline",
        "mixpanel:index:AzureBlobPipeline",
        "mixpanel:index:GcsSchemaPipeline",
        "mixpanel:index:S3RawPipeline",
        "mixpanel:index:GcsRawPipeline",
        "mixpanel:index:AzureRawPipeline",
    }
    assert TOKEN_BY_TYPE["gcs-raw"] == "mixpanel:index:GcsRawPipeline"


@pytest.mark.parametrize("pipeline_type", sorted(CLASS_BY_TYPE))
def test_properties_are_the_api_names_in_camel_case(pipeline_type):
    resource = SCHEMA["resources"][TOKEN_BY_TYPE[pipeline_type]]
    cls = CLASS_BY_TYPE[pipeline_type]
    expected = {"".join(p if i == 0 else p.capitalize() for i, p in enumerate(n.split("_"))) for n in cls.model_fields}
    assert set(resource["inputProperties"]) == expected - {"type"}
    assert {"pipelineNames", "bigqueryDatasetName", "status", "unverifiedInputs"} <= set(resource["properties"])
    assert set(resource["requiredInputs"]) == {n for n in expected if cls.model_fields[snake(n)].is_required()} - {
        "type"
    }


def test_every_resource_property_and_setting_has_a_description():
    for token, resource in SCHEMA["resources"].items():
        assert resource["description"].strip(), token
        for name, spec in {**resource["inputProperties"], **resource["properties"]}.items():
            assert len(spec.get("description", "")) > 10, f"{token}.{name}"
    for name, spec in SCHEMA["provider"]["inputProperties"].items():
        assert len(spec["description"]) > 10, name


def test_secrets_are_secret_in_the_schema():
    secret = {
        (token, name)
        for token, r in SCHEMA["resources"].items()
        for name, spec in r["properties"].items()
        if spec.get("secret")
    }
    assert secret == {
        ("mixpanel:index:SnowflakePipeline", "snowflakePassword"),
        ("mixpanel:index:AzureBlobPipeline", "clientSecret"),
        ("mixpanel:index:AzureRawPipeline", "clientSecret"),
    }
    provider = SCHEMA["provider"]["inputProperties"]
    assert {name for name, spec in provider.items() if spec.get("secret")} == {"serviceAccountSecret", "apiSecret"}
    assert set(provider) == {setting.name for setting in SETTINGS}
    assert not {"serviceAccountSecret", "apiSecret"} & set(SCHEMA["provider"]["properties"])


def test_optional_enumerations_are_schema_types():
    frequency = SCHEMA["resources"]["mixpanel:index:AwsPipeline"]["inputProperties"]["frequency"]
    assert frequency["$ref"] == "#/types/mixpanel:index:Frequency"
    values = [item["value"] for item in SCHEMA["types"]["mixpanel:index:BigQueryRegion"]["enum"]]
    assert values[:2] == ["US", "US_CENTRAL_1"]
    assert json.loads(checked_in_schema())["types"]["mixpanel:index:S3Encryption"]["enum"][-1] == {"value": "kms"}


def test_required_enumerations_are_strings_that_list_their_values():
    # pulumi import's code generator cannot write an empty enum for a required input it could not read.
    region = SCHEMA["resources"]["mixpanel:index:S3RawPipeline"]["inputProperties"]["s3Region"]
    assert region["type"] == "string" and "$ref" not in region
    assert region["description"].endswith("eu-west-3, sa-east-1, me-south-1.")
