"""Planted secrets appear nowhere they should not, through both front ends: the serialized
provider, outputs, errors, logs, and every request field that is not the secret's carrier.
Every planted secret contains `/+= &@%`, so a leak in an encoded form shows too."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import grpc
import pytest

from harness import inputs as valid
from harness.emulator import EmulatorAdmin
from harness.servers import FRONT_ENDS, serialized_provider, start
from harness.tls import loopback_certificate
from pulumi_mixpanel.emulator import EmulatorServer

SA_SECRET = "sa/Secret+8= &@%a"
API_SECRET = "api/Secret+2= &@%b"
NEW_CLIENT_SECRET = "az/New+5= &@%c"
PLANTED = (SA_SECRET, API_SECRET, valid.CLIENT_SECRET, NEW_CLIENT_SECRET, valid.SNOWFLAKE_PASSWORD)
# The request fields whose job is to carry a secret to Mixpanel.
CARRIERS = {"client_secret", "azure_client_secret", "snowflake_password"}
SECRET_OUTPUTS = {"client_secret", "snowflake_password"}


def forms(secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]]


def assert_clean(text: str, where: str) -> None:
    for secret in PLANTED:
        for form in forms(secret):
            assert form not in text, f"{secret!r} leaked into {where} as {form!r}"
    for username, secret in (("svc", SA_SECRET), (API_SECRET, "")):
        assert base64.b64encode(f"{username}:{secret}".encode()).decode() not in text, where


def non_secret_outputs(outs: dict) -> str:
    return json.dumps({k: v for k, v in outs.items() if k not in SECRET_OUTPUTS})


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize("auth", ["service_account", "api_secret"])
def test_planted_secrets_stay_where_they_belong(front_end, auth):
    with EmulatorServer(port=0, service_account=("svc", SA_SECRET), project_id=1, api_secret=API_SECRET) as emulator:
        admin = EmulatorAdmin(emulator.base_url)
        settings = {"endpoint": emulator.base_url}
        if auth == "service_account":
            settings.update({"serviceAccountUsername": "svc", "serviceAccountSecret": SA_SECRET, "projectId": "1"})
        else:
            settings["apiSecret"] = API_SECRET
        seen: list[tuple[str, str]] = [
            ("serialized provider", base64.b64decode(serialized_provider()).decode("latin-1"))
        ]
        server = start(front_end, env={"MIXPANEL_LOG_LEVEL": "DEBUG"})
        try:
            server.configure(settings)
            for values in (valid.inputs("azure-blob"), valid.inputs("snowflake")):
                id_, outs = server.created(values)
                if front_end == "plugin":
                    assert server.secret_outputs == SECRET_OUTPUTS & set(outs)
                seen.append(("create outputs", non_secret_outputs(outs)))
                _, outs = server.read(id_, outs)
                seen.append(("read outputs", non_secret_outputs(outs)))
                if values["type"] == "azure-blob":
                    news = server.checked({**values, "client_secret": NEW_CLIENT_SECRET}, outs)
                    admin.fault("edit", "status", count=1, status=500)
                    with pytest.raises(grpc.RpcError) as failed:
                        server.update(id_, outs, news)
                    seen.append(("update error", failed.value.details()))
                    outs = server.update(id_, outs, news)
                    seen.append(("update outputs", non_secret_outputs(outs)))
                server.delete(id_, outs)
            _, failures = server.check({}, valid.inputs("azure-blob", storage_account="", client_secret=5))
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


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_plain_http_to_another_host_is_refused_before_any_call(front_end):
    with start(front_end) as server:
        failures = server.configure({"endpoint": "http://mixpanel.example.com", "apiSecret": API_SECRET})
        if front_end == "dynamic":
            _, failures = server.check({}, valid.inputs("azure-blob"))
    assert [p for p, _ in failures] == [("mixpanel:" if front_end == "dynamic" else "") + "endpoint"]
    assert "plain http" in failures[0][1]
    assert_clean(str(failures), "refusal")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_self_signed_certificate_is_rejected_unless_its_authority_is_configured(front_end, tmp_path):
    files = loopback_certificate(tmp_path)
    with EmulatorServer(port=0, tls_cert=files.cert, tls_key=files.key) as emulator:
        settings = {"endpoint": emulator.base_url, "apiSecret": "emulator-api-secret"}
        with start(front_end) as server:
            server.configure(settings)
            checked = server.checked(valid.inputs("azure-blob"))
            with pytest.raises(grpc.RpcError) as raised:
                server.create(checked)
        assert "certificate verify failed" in raised.value.details().lower()
        with start(front_end) as server:
            server.configure({**settings, "caBundle": files.ca})
            id_, _ = server.create(checked)
        assert id_ == "events-daily-azure-blob-multischema"
