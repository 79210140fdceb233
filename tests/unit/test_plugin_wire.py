"""The plugin's wire layer: the protocol's property maps straight to the core's values and back,
and the private names of the Pulumi SDK it relies on, pinned so an SDK upgrade that moves one
fails here rather than in a deployment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


def test_the_wire_layers_protocol_constants_are_the_sdks():
    # The SDK keeps them under private names; the wire layer writes them out. If the SDK moves or
    # changes one, this fails here rather than in a deployment.
    from pulumi.runtime import _grpc_settings, rpc

    assert rpc._special_sig_key == SIGNATURE_KEY
    assert rpc._special_secret_sig == SECRET_SIGNATURE
    assert rpc._special_output_value_sig == OUTPUT_VALUE_SIGNATURE
    assert UNKNOWN == rpc.UNKNOWN
    assert wire.GRPC_CHANNEL_OPTIONS == _grpc_settings._GRPC_CHANNEL_OPTIONS


def test_no_module_of_the_package_uses_a_private_name_of_the_sdk():
    package = Path(wire.__file__).parents[1]
    private = re.compile(r"\b(_special_\w+|_grpc_settings|_GRPC_CHANNEL_OPTIONS|\._provider\b)")
    assert [str(path.relative_to(package)) for path in package.rglob("*.py") if private.search(path.read_text())] == []


def test_the_plugin_loads_only_the_protocol_and_a_later_import_of_the_sdk_is_the_usual_one():
    script = """
import sys
import pulumi_mixpanel.plugin.wire as wire
assert "pulumi" not in sys.modules, "the SDK's packages were imported"
import pulumi
from pulumi.runtime.proto import provider_pb2
from pulumi.runtime import rpc
assert provider_pb2 is wire.proto and provider_pb2.CheckRequest is wire.proto.CheckRequest
assert pulumi.Output and rpc.UNKNOWN == wire.UNKNOWN
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


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
