"""The plugin's wire layer: the protocol's property maps straight to the core's values and back,
and the private names of the Pulumi SDK it relies on, pinned so an SDK upgrade that moves one
fails here rather than in a deployment."""

from __future__ import annotations

import pytest
from google.protobuf import json_format, struct_pb2

from pulumi_mixpanel.core.errors import SettingsError
from pulumi_mixpanel.core.models import NOT_KNOWN, is_deferred
from pulumi_mixpanel.plugin import wire
from pulumi_mixpanel.plugin.wire import (
    OUTPUT_VALUE_SIGNATURE,
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    UNKNOWN,
    pipeline_type_of,
    secret_properties,
    settings_of,
    to_camel,
    to_snake,
)

pytestmark = pytest.mark.unit


def test_the_private_sdk_names_the_wire_layer_relies_on_are_the_protocols_constants():
    # Pulumi's wire encoding (sdk/go/common/resource/plugin/rpc.go): these values never change;
    # the test fails if the SDK stops exposing them under these names.
    assert SIGNATURE_KEY == "4dabf18193072939515e22adb298388d"
    assert SECRET_SIGNATURE == "1b47061264138c4ac30d75fd1eb44270"
    assert OUTPUT_VALUE_SIGNATURE == "d0e6a833031e9bbcd3f4e8bde6ca49a4"
    assert UNKNOWN == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    options = dict(wire.GRPC_CHANNEL_OPTIONS)
    assert options["grpc.max_receive_message_length"] >= 400 * 1024 * 1024


def test_the_wire_layer_is_the_only_module_that_touches_private_sdk_names():
    import pathlib

    package = pathlib.Path(wire.__file__).parents[1]
    touching = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "_special_" in path.read_text() or "_grpc_settings" in path.read_text()
    )
    assert touching == ["plugin/wire.py"]


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
    settings = struct(
        {"region": "eu", "serviceAccountSecret": secret("s"), "projectId": UNKNOWN, "requestTimeout": 30.0}
    )
    assert settings_of(settings) == {"region": "eu", "serviceAccountSecret": "s", "requestTimeout": 30.0}


def test_what_arrived_secret_goes_back_secret_whole():
    sent = struct({"where": secret("x"), "events": ["a", secret("b")], "gcsBucket": "plain"})
    assert secret_properties(sent) == {"where", "events"}
    back = json_format.MessageToDict(
        to_camel({"where": "x", "events": ["a", "b"], "gcs_bucket": "plain"}, secrets={"where", "events"})
    )
    assert back == {"where": secret("x"), "events": secret(["a", "b"]), "gcsBucket": "plain"}


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
