"""The HTTP client against the emulator over real HTTP and HTTPS."""

from __future__ import annotations

import base64
import json
import logging
import socket
import time
from urllib.parse import quote, quote_plus

import pytest

from harness.tls import loopback_certificate
from pulumi_mixpanel.core.client import SECRET_FIELD_NAMES, MixpanelClient, default_retry, encode_fields
from pulumi_mixpanel.core.credentials import ProjectSecret, ServiceAccount
from pulumi_mixpanel.core.errors import (
    BadRequestError,
    ForbiddenError,
    InsecureEndpointError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnauthenticatedError,
    UnexpectedResponseError,
)
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, SECRET_EDIT_PARAMETERS
from tests.support.openapi import OpenApiContract

SERVICE_ACCOUNT = ("emulator", "emulator-secret")  # the emulator's defaults
PROJECT_ID = 1
API_SECRET = "emulator-api-secret"

AWS = [
    ("type", "aws"),
    ("from_date", time.strftime("%Y-%m-%d")),
    ("s3_bucket", "acme-export"),
    ("s3_region", "us-east-1"),
    ("s3_role", "arn:aws:iam::1:role/w"),
    ("sync", True),
    ("schema_type", "monoschema"),
    ("events", ["Signup", "Purchase, Inc"]),
]
AZURE = [
    ("type", "azure-raw"),
    ("from_date", time.strftime("%Y-%m-%d")),
    ("storage_account", "acme"),
    ("container_name", "raw"),
    ("client_id", "cid"),
    ("client_secret", "AZURE-SECRET-123"),
    ("tenant_id", "t"),
]


def make_client(emulator, credentials=None, **options) -> MixpanelClient:
    options.setdefault("retry", default_retry(backoff_factor=0.01))
    options.setdefault("endpoint", emulator.base_url)
    credentials = credentials or ServiceAccount(SERVICE_ACCOUNT[0], SERVICE_ACCOUNT[1], str(PROJECT_ID))
    return MixpanelClient(credentials, **options)


@pytest.fixture
def client(emulator):
    with_client = make_client(emulator)
    yield with_client
    with_client.close()


# --- hosts, encoding, transport security ----------------------------------------------------


def test_the_client_scrubs_every_field_that_carries_a_secret():
    assert ALL_SECRET_FIELDS | SECRET_EDIT_PARAMETERS <= SECRET_FIELD_NAMES


def test_an_endpoint_given_as_the_openapi_server_url_works(emulator, admin):
    client = make_client(emulator, endpoint=emulator.base_url + "/api/2.0")
    assert client.jobs() == {}
    assert admin.requests("jobs")[0]["path"] == "/api/2.0/nessie/pipeline/jobs"


@pytest.mark.parametrize("endpoint", ["http://example.com", "http://10.0.0.1:8765", "http://data.mixpanel.com"])
def test_plain_http_to_a_host_that_is_not_loopback_is_refused(endpoint):
    with pytest.raises(InsecureEndpointError, match="plain http"):
        MixpanelClient(ProjectSecret("x"), endpoint=endpoint)


def test_lists_are_repeated_keys_and_booleans_are_words():
    assert encode_fields([("events", ["a", "b,c"]), ("trial", True), ("sync", False), ("x", None), ("n", 3)]) == [
        ("events", "a"),
        ("events", "b,c"),
        ("trial", "true"),
        ("sync", "false"),
        ("n", "3"),
    ]


# --- every endpoint ---------------------------------------------------------------------------


def test_every_endpoint_round_trip(client, admin):
    created = client.create(AWS)
    (name,) = created["pipeline_names"]
    assert name == "events-daily-aws-monoschema"
    assert created["bigquery_dataset_name"] is None
    stored = admin.pipeline(name)
    assert stored["params"]["events"] == ["Signup", "Purchase, Inc"]
    assert stored["params"]["sync"] == "true"

    jobs = client.jobs()
    assert [job["name"] for job in jobs[str(PROJECT_ID)]] == [name]

    admin.advance_clock(3 * 86400)
    summary = client.status(name, summary=True)
    assert summary["succeeded"] >= 3 and all(isinstance(count, int) for count in summary.values())
    detailed = client.status(name)
    assert sum(len(tasks) for tasks in detailed.values()) == sum(summary.values())
    task = detailed["succeeded"][0]
    assert set(task) == {"name", "state", "last_finish", "run_at", "from_date", "to_date"} and task["name"] == name
    only_succeeded = client.status(name, states=["succeeded"])
    assert list(only_succeeded) == ["succeeded"]
    assert client.timeline(name)["day_syncs"]

    client.edit(name, [("events", ["Signup"]), ("where", 'properties["plan"] == "pro"')])
    assert admin.pipeline(name)["params"]["events"] == ["Signup"]
    client.pause(name)
    assert admin.pipeline(name)["paused"] is True
    client.resume(name)
    assert admin.pipeline(name)["paused"] is False
    client.cancel(name)
    assert admin.pipelines() == []


def test_service_account_sends_project_id_on_every_call(client, admin):
    name = client.create(AWS)["pipeline_names"][0]
    client.jobs()
    client.status(name, summary=True)
    client.cancel(name)
    for entry in admin.requests():
        source = entry["query"] if entry["method"] == "GET" else entry["form"]
        assert source["project_id"] == [str(PROJECT_ID)], entry
        assert entry["auth"] == f"service_account:{SERVICE_ACCOUNT[0]}"


def test_project_secret_auth(emulator, admin):
    client = make_client(emulator, ProjectSecret(API_SECRET))
    assert client.jobs() == {}
    entry = admin.requests("jobs")[-1]
    assert entry["auth"] == "api_secret" and "project_id" not in entry["query"]


def test_requests_validate_against_the_openapi_description(client, admin):
    contract = OpenApiContract()
    name = client.create(AWS)["pipeline_names"][0]
    client.edit(name, [("events", ["Signup"]), ("glue_role", "arn:aws:iam::1:role/g")])
    client.status(name, summary=True, states=["pending", "running"])
    client.jobs()
    client.timeline(name)
    client.pause(name)
    client.resume(name)
    client.cancel(name)
    for entry in admin.requests():
        fields = [
            (k, v)
            for k, values in (entry["query"] if entry["method"] == "GET" else entry["form"]).items()
            for v in values
        ]
        assert contract.problems(entry["method"], entry["op"], fields, "aws") == [], entry


# --- one error class per failure --------------------------------------------------------------


def test_bad_request_names_the_parameter(client):
    with pytest.raises(BadRequestError) as raised:
        client.create([("type", "aws"), ("from_date", time.strftime("%Y-%m-%d")), ("s3_region", "us-east-1")])
    assert raised.value.http_status == 400
    assert raised.value.message == "missing required parameter: s3_bucket"


def test_bad_credentials_are_unauthenticated(emulator):
    client = make_client(emulator, ServiceAccount("emulator", "WRONG-SECRET-42", str(PROJECT_ID)))
    with pytest.raises(UnauthenticatedError) as raised:
        client.jobs()
    assert raised.value.http_status == 401 and raised.value.message


def test_another_project_is_forbidden(emulator):
    client = make_client(emulator, ServiceAccount(*SERVICE_ACCOUNT, "999"))
    with pytest.raises(ForbiddenError):
        client.jobs()


def test_unknown_pipeline_is_not_found(client):
    with pytest.raises(NotFoundError) as raised:
        client.pause("no-such-pipeline")
    assert raised.value.pipeline_name == "no-such-pipeline"


def test_rate_limited_after_retries_run_out(emulator, admin):
    client = make_client(emulator, retry=default_retry(max_retries=1, backoff_factor=0.01))
    admin.fault("jobs", "status", count=5, status=429, retry_after=0)
    with pytest.raises(RateLimitedError) as raised:
        client.jobs()
    assert raised.value.http_status == 429
    assert len(admin.requests("jobs")) == 2


def test_server_error(client, admin):
    admin.fault("jobs", "status", count=1, status=500)
    with pytest.raises(ServerError) as raised:
        client.jobs()
    assert raised.value.http_status == 500
    assert len(admin.requests("jobs")) == 1  # 500 is not one of the retried statuses


def test_transport_error_when_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = MixpanelClient(
        ProjectSecret("x"), endpoint=f"http://127.0.0.1:{port}", retry=default_retry(max_retries=1, backoff_factor=0.01)
    )
    with pytest.raises(TransportError) as raised:
        client.create(AWS)
    assert raised.value.may_have_reached_server is False


def test_read_timeout_is_a_transport_error_that_may_have_reached_the_server(emulator, admin):
    client = make_client(emulator, read_timeout=0.2)
    admin.fault("create", "latency", count=1, latency_ms=600)
    with pytest.raises(TransportError) as raised:
        client.create(AWS)
    assert raised.value.may_have_reached_server is True
    # The client has given up; the emulator logs the request once its latency is over.
    assert admin.wait_for_requests("create", 1) == 1


@pytest.fixture
def answering_server():
    """A tiny WSGI server that answers 200 with whatever body the test sets."""
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    state = {"body": ""}

    def app(environ, start_response):
        return Response(state["body"], status=200, content_type="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield state, MixpanelClient(ProjectSecret("x"), endpoint=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()


@pytest.fixture
def recording_server():
    """A tiny WSGI server that records each request's wire form and sets a cookie."""
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    seen: list[dict] = []

    def app(environ, start_response):
        request = Request(environ)
        seen.append(
            {
                "method": request.method,
                "path": request.path,
                "query": environ.get("QUERY_STRING", ""),
                "body": request.get_data(as_text=True),
                "headers": dict(request.headers.items()),
            }
        )
        response = Response("{}", status=200, content_type="application/json")
        response.set_cookie("lb", "node-7")
        return response(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    credentials = ServiceAccount(SERVICE_ACCOUNT[0], SERVICE_ACCOUNT[1], str(PROJECT_ID))
    yield seen, MixpanelClient(credentials, endpoint=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()


def test_the_wire_form_of_a_query_and_of_a_form_post(recording_server):
    seen, client = recording_server
    client.status("events-daily-gcs-raw", summary=True, states=["success", "failed"])
    client.edit("events-daily-gcs-raw", {"events": ["Signup", "Purchase, Inc"], "sync": True})
    query, form = seen
    assert (query["method"], query["path"], query["body"]) == ("GET", "/api/2.0/nessie/pipeline/status", "")
    assert query["query"] == "project_id=1&name=events-daily-gcs-raw&summary=true&status=success&status=failed"
    assert (form["method"], form["path"], form["query"]) == ("POST", "/api/2.0/nessie/pipeline/edit", "")
    assert form["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert form["body"] == "project_id=1&name=events-daily-gcs-raw&events=Signup&events=Purchase%2C+Inc&sync=true"
    basic = "Basic " + base64.b64encode(":".join(SERVICE_ACCOUNT).encode()).decode()
    for request in seen:
        assert request["headers"]["Authorization"] == basic
        assert request["headers"]["User-Agent"].startswith("pulumi-mixpanel/")
    # A cookie Mixpanel sets (a load balancer's, say) goes back with the next call, as a session's does.
    assert "Cookie" not in query["headers"] and form["headers"]["Cookie"] == "lb=node-7"


@pytest.mark.parametrize("body", ["<html>oops</html>", "", "[1, 2]", '{"pipeline_names": []}', '{"x": 1}'])
def test_a_malformed_create_answer_is_a_clear_error(answering_server, body):
    state, client = answering_server
    state["body"] = body
    with pytest.raises(UnexpectedResponseError) as raised:
        client.create(AWS)
    assert "create" in str(raised.value) and "HTTP 200" in str(raised.value)


@pytest.mark.parametrize("body", ["<html>oops</html>", "", "[1, 2]", '"text"'])
def test_a_malformed_listing_is_a_clear_error(answering_server, body):
    state, client = answering_server
    state["body"] = body
    with pytest.raises(UnexpectedResponseError, match="Mixpanel jobs failed"):
        client.jobs()


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_safe_calls_are_retried_on_rate_limits_and_gateway_errors(client, admin, status):
    admin.fault("jobs", "status", count=2, status=status)
    client.jobs()
    assert [e["status"] for e in admin.requests("jobs")] == [status, status, 200]


def test_retry_after_is_honoured(client, admin):
    admin.fault("jobs", "status", count=1, status=429, retry_after=1)
    started = time.monotonic()
    client.jobs()
    assert time.monotonic() - started >= 0.9


def test_a_create_refused_with_429_is_resent_once_allowed(client, admin):
    admin.fault("create", "status", count=1, status=429, retry_after=0)
    client.create(AWS)
    assert [e["status"] for e in admin.requests("create")] == [429, 200]
    assert len(admin.pipelines()) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_create_answered_with_5xx_is_never_resent(client, admin, status):
    admin.fault("create", "status", count=1, status=status)
    with pytest.raises(ServerError):
        client.create(AWS)
    assert len(admin.requests("create")) == 1


def test_a_create_whose_answer_is_lost_is_never_resent(client, admin):
    admin.fault("create", "drop_after_commit", count=1)
    with pytest.raises(TransportError) as raised:
        client.create(AWS)
    assert raised.value.may_have_reached_server is True
    # The client has given up; the emulator logs the request once its latency is over.
    assert admin.wait_for_requests("create", 1) == 1
    assert len(admin.pipelines()) == 1  # it did happen: the provider settles this from jobs


def test_a_repeatable_call_whose_answer_is_lost_is_resent(client, admin):
    name = client.create(AWS)["pipeline_names"][0]
    admin.fault("pause", "drop_after_commit", count=1)
    client.pause(name)
    assert len(admin.requests("pause")) == 2
    assert admin.pipeline(name)["paused"] is True


def test_connections_are_reused(client, admin):
    before = admin.stats()["connections"]  # counts the admin client's own connection
    for _ in range(5):
        client.jobs()
    assert admin.stats()["connections"] - before == 1


def test_the_client_is_safe_to_share_between_threads(client, admin):
    from concurrent.futures import ThreadPoolExecutor

    before = admin.stats()["connections"]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: client.jobs(), range(40)))
    assert results == [{}] * 40
    assert 1 <= admin.stats()["connections"] - before <= 4


# --- TLS ---------------------------------------------------------------------------------------


@pytest.fixture
def tls_emulator(tmp_path):
    from pulumi_mixpanel.emulator import EmulatorServer

    files = loopback_certificate(tmp_path)
    with EmulatorServer(port=0, tls_cert=files.cert, tls_key=files.key) as server:
        yield server, files.ca


def test_https_with_a_configured_certificate_authority(tls_emulator):
    server, ca_file = tls_emulator
    assert server.base_url.startswith("https://")
    client = make_client(server, ca_bundle=ca_file)
    assert client.create(AZURE)["pipeline_names"] == ["events-daily-azure-raw"]


def test_an_untrusted_certificate_is_rejected(tls_emulator):
    server, _ = tls_emulator
    client = make_client(server)
    with pytest.raises(TransportError) as raised:
        client.jobs()
    assert "certificate" in str(raised.value).lower()
    assert raised.value.may_have_reached_server is False


# --- secrets ------------------------------------------------------------------------------------


def test_no_secret_in_exceptions_reprs_or_logs(emulator, admin, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "SA-SECRET-do-not-leak"
    good = make_client(emulator)
    bad = make_client(emulator, ServiceAccount("emulator", secret, str(PROJECT_ID)))
    texts = [repr(bad), str(bad), repr(ServiceAccount("u", secret, "1")), repr(ProjectSecret(secret))]
    with pytest.raises(UnauthenticatedError) as raised:
        bad.create(AZURE)
    texts += [str(raised.value), repr(raised.value)]
    good.create(AZURE)
    with pytest.raises(BadRequestError) as duplicate:
        good.create(AZURE)  # same destination again
    texts += [str(duplicate.value)]
    admin.fault("edit", "status", count=1, status=500)
    with pytest.raises(ServerError) as failed_edit:
        good.edit("events-daily-azure-raw", [("azure_client_secret", "NEW-AZURE-SECRET")])
    texts += [str(failed_edit.value)]
    everything = "\n".join(texts) + caplog.text
    for value in (secret, "emulator-secret", "AZURE-SECRET-123", "NEW-AZURE-SECRET"):
        assert value not in everything


@pytest.fixture
def echoing_server():
    """A server that answers 400 with everything it received (form body and headers) in the error."""
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    def app(environ, start_response):
        request = Request(environ)
        echo = f"body={request.get_data(as_text=True)} authorization={request.headers.get('Authorization')}"
        return Response(json.dumps({"error": echo, "status": "error"}), status=400, content_type="application/json")(
            environ, start_response
        )

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize(
    "credentials", [ServiceAccount("svc", "sa/Secret+3= &@%z", "1"), ProjectSecret("api/Secret+4= &@%w")]
)
def test_an_echoed_request_shows_no_secret_in_any_encoding(echoing_server, credentials):
    client = MixpanelClient(credentials, endpoint=echoing_server)
    planted = ["az/Secret+1= &@%x", "sf/Pass+2= &@%y", "az/New+5= &@%v"]
    with pytest.raises(BadRequestError) as created:
        client.create([("type", "azure-raw"), ("client_secret", planted[0]), ("snowflake_password", planted[1])])
    with pytest.raises(BadRequestError) as edited:
        client.edit("events-daily-azure-raw", [("azure_client_secret", planted[2])])
    for raised in (created, edited):
        text = str(raised.value)
        assert "body=" in text and "authorization=Basic" in text  # the echo is there, scrubbed
        secrets = [*planted, getattr(credentials, "secret", None) or credentials.api_secret]
        token = base64.b64encode(":".join(credentials.basic_auth).encode()).decode()
        for leaked in [token, *secrets, *(quote_plus(s) for s in secrets), *(quote(s, safe="") for s in secrets)]:
            assert leaked not in text
