"""The HTTP server itself: keep-alive, connections that hold no thread, stop(), the Server header."""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from requests.adapters import HTTPAdapter

from .emulator_support import API_PATH, PROJECT_ID, SERVICE_ACCOUNT, Api, fields_for


def port_of(server) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def read_response(reader) -> tuple[bytes, dict[str, str], bytes]:
    """One HTTP/1.1 response from a socket's file: status line, headers, a Content-Length body."""
    status = reader.readline().rstrip(b"\r\n")
    headers = {}
    while line := reader.readline().rstrip(b"\r\n"):
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    return status, headers, reader.read(int(headers.get("content-length", 0)))


def test_idle_and_silent_connections_hold_no_thread(make_emulator):
    server = make_emulator()
    api = Api(server.base_url)
    assert api.get("jobs").status_code == 200  # the server's threads are all up
    threads_before = threading.active_count()
    silent = [socket.create_connection(("127.0.0.1", port_of(server))) for _ in range(100)]  # never send
    kept_alive = [Api(server.base_url) for _ in range(20)]
    try:
        for client in kept_alive:  # each leaves an idle keep-alive connection behind
            assert client.get("jobs").status_code == 200
        assert api.get("jobs").status_code == 200  # and the first one is served as ever
        time.sleep(0.2)
        assert threading.active_count() - threads_before < 10  # not one thread per connection
        assert api.admin("GET", "stats").json()["connections"] == 1 + 100 + 20 + 1  # the last one: this call
    finally:
        for connection in silent:
            connection.close()
        for client in kept_alive:
            client.close()


def test_stop_returns_at_once_and_closes_idle_connections(make_emulator):
    server = make_emulator()
    silent = socket.create_connection(("127.0.0.1", port_of(server)))
    kept_alive = socket.create_connection(("127.0.0.1", port_of(server)))
    kept_alive.settimeout(5)
    reader = kept_alive.makefile("rb")
    kept_alive.sendall(b"GET /_emulator/stats HTTP/1.1\r\nHost: emulator\r\n\r\n")
    status, headers, _ = read_response(reader)
    assert status == b"HTTP/1.1 200 OK" and headers.get("connection") != "close"
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1
    assert reader.read(1) == b""  # closed by the server
    silent.settimeout(5)
    assert silent.recv(1) == b""
    for connection in (reader, kept_alive, silent):
        connection.close()
    server.stop()  # stopping twice is harmless


def test_one_pooled_session_reuses_its_connections(make_emulator):
    server = make_emulator()
    session = requests.Session()
    session.auth = SERVICE_ACCOUNT
    session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=16))
    url = server.base_url + API_PATH + "jobs"

    def call(_):
        return session.get(url, params={"project_id": PROJECT_ID}, timeout=10).status_code

    stats = requests.Session()
    before = stats.get(server.base_url + "/_emulator/stats", timeout=10).json()
    assert {call(i) for i in range(100)} == {200}
    with ThreadPoolExecutor(16) as pool:
        assert set(pool.map(call, range(100))) == {200}
    after = stats.get(server.base_url + "/_emulator/stats", timeout=10).json()
    assert after["requests"] - before["requests"] == 200
    assert after["connections"] - before["connections"] <= 16  # one per pooled connection, never one per call
    session.close()
    stats.close()


def test_answers_carry_content_length_and_the_server_name(emulator, api):
    response = api.post("create", fields_for("gcs-raw"))
    assert response.headers["Server"] == "mixpanel-emulator"
    assert response.headers["Content-Length"] == str(len(response.content))
    assert "chunked" not in response.headers.get("Transfer-Encoding", "")


def test_expect_100_continue_and_an_unread_body(emulator):
    with socket.create_connection(("127.0.0.1", port_of(emulator))) as connection:
        connection.settimeout(5)
        reader = connection.makefile("rb")
        body = b'{"op": "jobs", "kind": "status", "status": 503}'
        connection.sendall(
            b"POST /_emulator/faults HTTP/1.1\r\nHost: emulator\r\nExpect: 100-continue\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        assert reader.readline() == b"HTTP/1.1 100 Continue\r\n" and reader.readline() == b"\r\n"
        connection.sendall(body)
        status, _, answer = read_response(reader)
        assert status == b"HTTP/1.1 200 OK" and b'"status": 503' in answer
        # A body that the route does not read must not be taken for the next request.
        connection.sendall(
            b"GET /_emulator/stats HTTP/1.1\r\nHost: emulator\r\nContent-Length: 5\r\n\r\nxxxxx"
            b"GET /_emulator/clock HTTP/1.1\r\nHost: emulator\r\n\r\n"
        )
        first, second = read_response(reader), read_response(reader)
        assert first[0] == second[0] == b"HTTP/1.1 200 OK"
        assert b"connections" in first[2] and b"offset_seconds" in second[2]
        reader.close()


@pytest.mark.parametrize(
    "options",
    [
        {"port": 65536},
        {"port": -1},
        {"port": "8765"},
        {"latency_ms": -1},
        {"latency_ms": 0.5},
        {"project_id": 0},
        {"project_id": True},
        {"tls_key": "key.pem"},
    ],
)
def test_the_constructor_refuses_what_the_command_line_refuses(options):
    from pulumi_mixpanel.emulator import EmulatorServer

    with pytest.raises(ValueError):
        EmulatorServer(**options)
