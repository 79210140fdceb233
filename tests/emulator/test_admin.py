"""The /_emulator/ admin API: pipelines, request log, reset, clock, stats, faults, loopback."""

import json
import socket
import threading
import time

import pytest
import requests
from werkzeug.test import Client

from .emulator_support import API_PATH, API_SECRET, PROJECT_ID, SERVICE_ACCOUNT, Api, fields_for


def test_pipelines_listing(api):
    api.create([*fields_for("aws", s3_prefix="p/").items(), ("events", "A"), ("events", "B,C")])
    (pipeline,) = api.admin("GET", "pipelines").json()["pipelines"]
    keys = ("name", "type", "project_id", "data_source", "trial", "paused", "frequency")
    assert {key: pipeline[key] for key in keys} == {
        "name": "events-daily-aws-monoschema",
        "type": "aws",
        "project_id": PROJECT_ID,
        "data_source": "events",
        "trial": False,
        "paused": False,
        "frequency": "daily",
    }
    assert pipeline["created_at"].startswith("2024-06-15T12:00:00")
    assert pipeline["params"] == {
        "type": ["aws"],
        "from_date": "2024-06-01",
        "s3_bucket": "bucket",
        "s3_region": "us-east-1",
        "s3_role": "arn:aws:iam::1:role/r",
        "s3_prefix": "p/",
        "events": ["A", "B,C"],
    }  # every field as received, except project_id


def test_admin_cancel_works_behind_the_back_even_for_trials(api):
    names = api.create({"type": "snowflake", "trial": "true", "snowflake_share_with": "acct"})
    assert api.admin("POST", f"pipelines/{names[0]}/cancel").status_code == 200
    assert [p["name"] for p in api.admin("GET", "pipelines").json()["pipelines"]] == [names[1]]
    assert api.admin("POST", "pipelines/nope/cancel").status_code == 404


def test_request_log_records_api_requests_only(emulator, api):
    api.create(fields_for("gcs-raw"))
    api.get("status", {"name": "events-daily-gcs-raw", "summary": "true"})
    Api(emulator.base_url, auth=(API_SECRET, ""), project_id=None).get("jobs")
    Api(emulator.base_url, auth=None).get("jobs")
    Api(emulator.base_url, auth=("x", "y")).get("jobs")
    api.admin("GET", "pipelines")
    entries = api.admin("GET", "requests").json()["requests"]
    assert [(e["method"], e["op"], e["auth"], e["status"]) for e in entries] == [
        ("POST", "create", f"service_account:{SERVICE_ACCOUNT[0]}", 200),
        ("GET", "status", f"service_account:{SERVICE_ACCOUNT[0]}", 200),
        ("GET", "jobs", "api_secret", 200),
        ("GET", "jobs", "none", 401),
        ("GET", "jobs", "invalid", 401),
    ]
    create = entries[0]
    assert create["path"] == API_PATH + "create"
    assert create["form"]["type"] == ["gcs-raw"] and create["form"]["project_id"] == [str(PROJECT_ID)]
    assert entries[1]["query"] == {
        "name": ["events-daily-gcs-raw"],
        "summary": ["true"],
        "project_id": [str(PROJECT_ID)],
    }
    assert api.admin("DELETE", "requests").status_code == 200
    assert api.admin("GET", "requests").json() == {"requests": []}


def test_request_log_never_contains_a_secret(emulator, api):
    api.create(fields_for("gcs-raw"))
    Api(emulator.base_url, auth=(API_SECRET, ""), project_id=None).get("jobs")
    Api(emulator.base_url, auth=("someone", "WRONG-SECRET-123")).get("jobs")
    text = json.dumps(api.admin("GET", "requests").json())
    for secret in (SERVICE_ACCOUNT[1], API_SECRET, "WRONG-SECRET-123"):
        assert secret not in text
    assert "Authorization" not in text and "Basic " not in text


def test_reset_forgets_pipelines_log_faults_and_clock(api):
    api.create(fields_for("gcs-raw"))
    api.admin("POST", "faults", json={"op": "jobs", "kind": "status", "status": 503, "count": 3})
    api.admin("POST", "clock", json={"advance_seconds": 3600})
    assert api.admin("POST", "reset").status_code == 200
    assert api.admin("GET", "pipelines").json() == {"pipelines": []}
    assert api.admin("GET", "requests").json() == {"requests": []}
    assert api.admin("GET", "faults").json() == {"faults": []}
    assert api.admin("GET", "clock").json()["offset_seconds"] == 0


def test_clock_advances_and_never_goes_back(api):
    body = api.admin("POST", "clock", json={"advance_seconds": 90}).json()
    assert body["now"].startswith("2024-06-15T12:01:30") and body["offset_seconds"] == 90
    assert api.admin("POST", "clock", json={"advance_seconds": -1}).status_code == 400
    assert api.admin("POST", "clock", json={"advance_seconds": "soon"}).status_code == 400


def test_stats_prove_connection_reuse(emulator, api):
    admin = requests.Session()
    before = admin.get(emulator.base_url + "/_emulator/stats").json()
    for _ in range(5):
        assert api.get("jobs").status_code == 200
    after = admin.get(emulator.base_url + "/_emulator/stats").json()
    assert after["connections"] - before["connections"] == 1  # one keep-alive connection for five calls
    assert after["requests"] - before["requests"] == 5  # admin requests are not counted
    assert after["tls_handshakes"] == 0
    admin.close()


def test_unknown_admin_route_is_404(api):
    assert api.admin("GET", "nothing-here").status_code == 404


def test_admin_routes_refuse_another_method_with_405_and_allow(api):
    for method, route, allow in (
        ("PUT", "pipelines", "GET"),
        ("GET", "pipelines/x/cancel", "POST"),
        ("GET", "pipelines/x/outcome", "POST"),
        ("POST", "requests", "DELETE, GET"),
        ("GET", "reset", "POST"),
        ("PUT", "faults", "DELETE, GET, POST"),
        ("DELETE", "clock", "GET, POST"),
        ("POST", "stats", "GET"),
    ):
        response = api.admin(method, route)
        assert (response.status_code, response.headers.get("Allow")) == (405, allow), (method, route)
        assert response.json()["status"] == "error"
    assert api.admin("GET", "pipelines/").json() == {"pipelines": []}  # a trailing slash is the same route
    assert api.admin("HEAD", "stats").status_code == 200
    assert api.admin("POST", "pipelines/a/b/cancel").status_code == 404


# --- faults ---------------------------------------------------------------------------------


def test_status_fault_answers_without_running_the_op(api):
    response = api.admin(
        "POST", "faults", json={"op": "create", "kind": "status", "status": 503, "count": 2, "retry_after": 1}
    )
    assert response.json()["faults"] == [
        {"op": "create", "kind": "status", "count": 2, "status": 503, "retry_after": 1}
    ]
    for _ in range(2):
        refused = api.post("create", fields_for("gcs-raw"))
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
        assert refused.json()["status"] == "error"
    assert api.admin("GET", "pipelines").json() == {"pipelines": []}  # not executed
    assert api.admin("GET", "faults").json() == {"faults": []}
    assert api.create(fields_for("gcs-raw")) == ["events-daily-gcs-raw"]
    statuses = [(e["status"], e.get("fault")) for e in api.admin("GET", "requests").json()["requests"]]
    assert statuses == [(503, "status"), (503, "status"), (200, None)]


def test_wildcard_fault_matches_any_op_and_only_api_requests(api):
    api.admin("POST", "faults", json={"op": "*", "kind": "status", "status": 429, "count": 2})
    assert api.admin("GET", "pipelines").status_code == 200  # admin requests are never faulted
    assert api.get("jobs").status_code == 429
    assert api.post("pause", {"name": "x"}).status_code == 429
    assert api.get("jobs").status_code == 200


def test_drop_after_commit_commits_then_closes_without_an_answer(api):
    api.admin("POST", "faults", json={"op": "create", "kind": "drop_after_commit", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("create", fields_for("gcs-raw"))
    assert [p["name"] for p in api.admin("GET", "pipelines").json()["pipelines"]] == ["events-daily-gcs-raw"]
    (entry,) = api.admin("GET", "requests").json()["requests"]
    assert entry["fault"] == "drop_after_commit" and entry["status"] == 200
    assert api.get("jobs").status_code == 200  # the same session reconnects


def test_latency_fault_and_global_latency_delay_without_blocking_others(make_emulator):
    server = make_emulator(latency_ms=50)
    slow, fast = Api(server.base_url), Api(server.base_url)
    slow.admin("POST", "faults", json={"op": "jobs", "kind": "latency", "latency_ms": 150})
    timings = {}

    def call_jobs():
        started = time.monotonic()
        timings["status"] = slow.get("jobs").status_code
        timings["elapsed"] = time.monotonic() - started

    worker = threading.Thread(target=call_jobs)
    worker.start()
    time.sleep(0.02)  # let the slow request reach its sleep
    assert fast.create(fields_for("gcs-raw"))  # state is not locked while a request sleeps
    assert worker.is_alive()
    worker.join()
    assert timings["status"] == 200 and timings["elapsed"] >= 0.2
    assert slow.admin("GET", "faults").json() == {"faults": []}


def test_invalid_faults_are_refused(api):
    for fault in (
        {"op": "explode", "kind": "status", "status": 503},
        {"op": "create", "kind": "status", "status": 418},
        {"op": "create", "kind": "latency"},
        {"op": "create", "kind": "teleport"},
        {"op": "create", "kind": "status", "status": 503, "count": 0},
    ):
        assert api.admin("POST", "faults", json=fault).status_code == 400, fault
    assert api.admin("GET", "faults").json() == {"faults": []}


def test_faults_from_the_constructor_and_delete(make_emulator):
    server = make_emulator(
        faults=["create:503:2", "*:429:3:retry_after=1", "jobs:latency:1:latency_ms=3000", "pause:drop_after_commit:1"]
    )
    api = Api(server.base_url)
    assert api.admin("GET", "faults").json()["faults"] == [
        {"op": "create", "kind": "status", "count": 2, "status": 503},
        {"op": "*", "kind": "status", "count": 3, "status": 429, "retry_after": 1},
        {"op": "jobs", "kind": "latency", "count": 1, "latency_ms": 3000},
        {"op": "pause", "kind": "drop_after_commit", "count": 1},
    ]
    assert api.admin("DELETE", "faults").json() == {"faults": []}
    assert api.get("jobs").status_code == 200


# --- loopback only --------------------------------------------------------------------------


def test_admin_api_refuses_clients_that_are_not_loopback(emulator):
    client = Client(emulator.app)
    refused = client.get("/_emulator/pipelines", environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert refused.status_code == 403
    assert client.get("/_emulator/pipelines", environ_overrides={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    assert client.get("/_emulator/pipelines", environ_overrides={"REMOTE_ADDR": "::1"}).status_code == 200


def non_loopback_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent; this only picks an interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_admin_api_over_a_real_non_loopback_connection(make_emulator):
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    server = make_emulator(host="0.0.0.0")
    port = server.base_url.rsplit(":", 1)[1]
    response = requests.get(f"http://{address}:{port}/_emulator/pipelines", timeout=10)
    assert response.status_code == 403
    assert requests.get(f"http://127.0.0.1:{port}/_emulator/pipelines", timeout=10).status_code == 200
    api = Api(f"http://{address}:{port}")  # the API itself answers anyone
    assert api.get("jobs").status_code == 200
