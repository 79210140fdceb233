"""The plugin's property maps: the protocol's wire encoding straight to the core's values and back."""

from __future__ import annotations

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from pulumi_mixpanel.core.errors import SettingsError
from pulumi_mixpanel.core.models import NOT_KNOWN, is_deferred
from pulumi_mixpanel.plugin.properties import (
    OUTPUT_VALUE_SIGNATURE,
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    settings_values,
    to_camel,
    to_snake,
)
from pulumi_mixpanel.plugin.resources import pipeline_type_of

pytestmark = pytest.mark.unit


def struct(values):
    message = struct_pb2.Struct()
    message.update(values)
    return message


def secret(value):
    return {SIGNATURE_KEY: SECRET_SIGNATURE, "value": value}


def test_the_engines_properties_become_the_cores_values():
    values = to_snake(
        struct(
            {
                "snowflakePassword": secret("p/+= &@%"),
                "snowflakeShareWith": ["analysts", secret("finance")],
                "fromDate": UNKNOWN,
                "frequency": {SIGNATURE_KEY: OUTPUT_VALUE_SIGNATURE, "value": "hourly"},
                "where": {SIGNATURE_KEY: OUTPUT_VALUE_SIGNATURE},
                "trial": False,
                "status": {"succeeded": 3},
                "unverifiedInputs": ["fromDate", "snowflakePassword"],
                "toDate": None,
                "somethingElse": 1,
            }
        )
    )
    assert is_deferred(values.pop("from_date")) and is_deferred(values.pop("where"))
    assert values == {
        "snowflake_password": "p/+= &@%",
        "snowflake_share_with": ["analysts", "finance"],
        "frequency": "hourly",
        "trial": False,
        "status": {"succeeded": 3.0},
        "unverified_inputs": ["from_date", "snowflake_password"],
        "to_date": None,
        "somethingElse": 1.0,
    }


def test_the_cores_values_go_back_with_every_secret_field_wrapped():
    encoded = to_camel(
        {
            "type": "snowflake",
            "client_secret": "s3cret",
            "snowflake_password": "p/+= &@%",
            "events": ("Signup", "Purchase"),
            "from_date": NOT_KNOWN,
            "to_date": None,
            "status": {"succeeded": 3},
            "unverified_inputs": ["from_date"],
        },
        drop=("type",),
    )
    assert json_format.MessageToDict(encoded) == {
        "clientSecret": secret("s3cret"),
        "snowflakePassword": secret("p/+= &@%"),
        "events": ["Signup", "Purchase"],
        "fromDate": UNKNOWN,
        "status": {"succeeded": 3.0},
        "unverifiedInputs": ["fromDate"],
    }


def test_a_round_trip_keeps_every_value():
    values = {
        "s3_bucket": "exports",
        "events": ["Signup"],
        "paused": True,
        "snowflake_password": "p",
        "status": {"running": 1.0},
        "pipeline_names": ["a", "b"],
    }
    assert to_snake(to_camel(values)) == values


def test_a_value_the_protocol_cannot_carry_is_refused_by_its_type():
    with pytest.raises(TypeError, match="bytes"):
        to_camel({"s3_bucket": b"exports"})


def test_settings_leave_out_what_is_not_known_yet_and_unwrap_secrets():
    settings = {
        "region": PropertyValue("eu"),
        "serviceAccountSecret": PropertyValue("s").with_secret(True),
        "projectId": PropertyValue(Computed()),
        "requestTimeout": PropertyValue(30.0),
    }
    assert settings_values(settings) == {"region": "eu", "serviceAccountSecret": "s", "requestTimeout": 30.0}


@pytest.mark.parametrize(
    "urn",
    [
        "urn:pulumi:dev::exports::mixpanel:index:S3RawPipeline::raw",
        # Inside a component, the URN's type names the parents too.
        "urn:pulumi:dev::exports::acme:index:Exports$mixpanel:index:S3RawPipeline::raw",
    ],
)
def test_the_pipeline_type_comes_from_the_urns_own_type(urn):
    assert pipeline_type_of(urn) == "s3-raw"


def test_a_resource_the_provider_does_not_have_is_named():
    with pytest.raises(SettingsError, match="'mixpanel:index:Nothing'"):
        pipeline_type_of("urn:pulumi:dev::exports::mixpanel:index:Nothing::x")
