"""Planted secrets appear nowhere they should not: provider, outputs, errors, logs, wire."""

from __future__ import annotations

import base64
import json

import grpc
import pytest

import pulumi_mixpanel as pm
from pulumi_mixpanel.emulator import EmulatorServer
from support.emulator_admin import EmulatorAdmin
from support.lifecycle import RECENT, program_inputs
from support.provider_server import ProviderServer
from support.tls import loopback_certificate

SA_SECRET = "SA-SECRET-8f3a0c"
API_SECRET = "API-SECRET-27c1e9"
CLIENT_SECRET = "AZ-SECRET-91be44"
NEW_CLIENT_SECRET = "AZ-SECRET-NEW-5d2e"
SNOWFLAKE_PASSWORD = "SF-SECRET-44d0aa"
PLANTED = (SA_SECRET, API_SECRET, CLIENT_SECRET, NEW_CLIENT_SECRET, SNOWFLAKE_PASSWORD)
# The request fields whose job is to carry a secret to Mixpanel.
CARRIERS = {"client_secret", "azure_client_secret", "snowflake_password"}
SECRET_OUTPUTS = {"client_secret", "snowflake_password"}


def azure(client_secret=CLIENT_SECRET):
    return pm.AzureBlobPipelineArgs(storage_account="acme", container_name="mp", client_id="cid",
                                    client_secret=client_secret, tenant_id="tid", from_date=RECENT)


def snowflake():
    return pm.SnowflakePipelineArgs(
        snowflake_account_name="acme", snowflake_warehouse="wh", snowflake_storage_integration="si",
        snowflake_user="mixpanel", snowflake_password=SNOWFLAKE_PASSWORD, snowflake_role="loader",
        snowflake_database="analytics", snowflake_schema="mixpanel", from_date=RECENT)


def assert_clean(text: str, where: str) -> None:
    for secret in PLANTED:
        assert secret not in text, f"{secret} leaked into {where}"


def non_secret_outputs(outs: dict) -> str:
    return json.dumps({k: v for k, v in outs.items() if k not in SECRET_OUTPUTS})


@pytest.mark.parametrize("auth", ["service_account", "api_secret"])
def test_planted_secrets_stay_where_they_belong(auth):
    with EmulatorServer(port=0, service_account=("svc", SA_SECRET), project_id=1, api_secret=API_SECRET) as emulator:
        admin = EmulatorAdmin(emulator.base_url)
        config = {"mixpanel:endpoint": emulator.base_url}
        if auth == "service_account":
            config.update({"mixpanel:serviceAccountUsername": "svc", "mixpanel:serviceAccountSecret": SA_SECRET,
                           "mixpanel:projectId": "1"})
        else:
            config["mixpanel:apiSecret"] = API_SECRET
        seen: list[tuple[str, str]] = []
        server = ProviderServer(env={"MIXPANEL_LOG_LEVEL": "DEBUG"})
        try:
            server.configure(config)
            for args in (azure(), snowflake()):
                inputs = program_inputs(args)
                seen.append(("serialized provider", base64.b64decode(inputs["__provider"]).decode("latin-1")))
                checked, _ = server.check({}, inputs)
                id_, outs = server.create(checked)
                seen.append(("create outputs", non_secret_outputs(outs)))
                _, outs = server.read(id_, outs)
                seen.append(("read outputs", non_secret_outputs(outs)))
                if args.TYPE == "azure-blob":
                    news, _ = server.check(outs, {**outs, "client_secret": NEW_CLIENT_SECRET})
                    admin.fault("edit", "status", count=1, status=500)
                    with pytest.raises(grpc.RpcError) as failed:
                        server.update(id_, outs, news)
                    seen.append(("update error", failed.value.details()))
                    outs = server.update(id_, outs, news)
                    seen.append(("update outputs", non_secret_outputs(outs)))
                server.delete(id_, outs)
            bad = program_inputs(azure())
            bad["storage_account"] = ""
            _, failures = server.check({}, bad)
            seen.append(("check failures", str(failures)))
        finally:
            stderr = server.close()
        seen.append(("provider log", stderr))
        assert "DEBUG" in stderr  # the logs were on, so their cleanliness means something
        for where, text in seen:
            assert_clean(text, where)
        for entry in admin.requests():
            assert_clean(entry["auth"], "request log auth")
            for key, values in {**entry["query"], **entry["form"]}.items():
                if key not in CARRIERS:
                    assert_clean(json.dumps(values), f"request field {key}")


def test_plain_http_to_another_host_is_refused_by_the_provider():
    with ProviderServer() as server:
        server.configure({"mixpanel:endpoint": "http://mixpanel.example.com", "mixpanel:apiSecret": API_SECRET})
        checked, _ = server.check({}, program_inputs(azure()))
        with pytest.raises(grpc.RpcError) as raised:
            server.create(checked)
    assert "plain http" in raised.value.details()
    assert_clean(raised.value.details(), "refusal")


def test_a_self_signed_certificate_is_rejected_unless_its_authority_is_configured(tmp_path):
    files = loopback_certificate(tmp_path)
    with EmulatorServer(port=0, tls_cert=files.cert, tls_key=files.key) as emulator:
        config = {"mixpanel:endpoint": emulator.base_url, "mixpanel:apiSecret": "emulator-api-secret"}
        with ProviderServer() as server:
            server.configure(config)
            checked, _ = server.check({}, program_inputs(azure()))
            with pytest.raises(grpc.RpcError) as raised:
                server.create(checked)
        assert "certificate" in raised.value.details().lower()
        with ProviderServer() as server:
            server.configure({**config, "mixpanel:caBundle": files.ca})
            id_, _ = server.create(checked)
        assert id_ == "events-daily-azure-blob-monoschema"


def test_the_emulator_binds_loopback_by_default():
    with EmulatorServer(port=0) as emulator:
        assert emulator.base_url.startswith("http://127.0.0.1:")
