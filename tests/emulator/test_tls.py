"""HTTPS with a certificate from a trustme CA."""

import pytest
import requests
import trustme

from .emulator_support import Api, fields_for


@pytest.fixture
def certificate_files(tmp_path):
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    certificate.cert_chain_pems[0].write_to_path(str(cert_file))
    for pem in certificate.cert_chain_pems[1:]:
        pem.write_to_path(str(cert_file), append=True)
    certificate.private_key_pem.write_to_path(str(key_file))
    authority.cert_pem.write_to_path(str(ca_file))
    return str(cert_file), str(key_file), str(ca_file)


def test_https_with_a_trusted_ca(make_emulator, certificate_files):
    cert_file, key_file, ca_file = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    assert server.base_url.startswith("https://127.0.0.1:")
    api = Api(server.base_url, verify=ca_file)
    assert api.create(fields_for("azure-raw")) == ["events-daily-azure-raw"]
    for _ in range(3):
        assert api.get("jobs").status_code == 200
    stats = api.admin("GET", "stats").json()
    assert stats["tls_handshakes"] == stats["connections"] == 2  # the API session's and this admin call's


def test_an_untrusted_certificate_is_refused_by_the_client(make_emulator, certificate_files):
    cert_file, key_file, _ = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(server.base_url + "/_emulator/stats", timeout=10)


def test_drop_after_commit_over_tls(make_emulator, certificate_files):
    cert_file, key_file, ca_file = certificate_files
    api = Api(
        make_emulator(tls_cert=cert_file, tls_key=key_file, faults=["create:drop_after_commit:1"]).base_url,
        verify=ca_file,
    )
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("create", fields_for("gcs-raw"))
    assert len(api.admin("GET", "pipelines").json()["pipelines"]) == 1


def test_a_silent_client_does_not_stall_the_others(make_emulator, certificate_files):
    import socket

    cert_file, key_file, ca_file = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    port = int(server.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)):  # connects, never says hello
        api = Api(server.base_url, verify=ca_file)
        assert api.get("jobs").status_code == 200
        stats = api.admin("GET", "stats").json()
    assert stats["connections"] == 3 and stats["tls_handshakes"] == 2


def test_many_silent_clients_hold_no_worker(make_emulator, certificate_files):
    import socket

    cert_file, key_file, ca_file = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    port = int(server.base_url.rsplit(":", 1)[1])
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]  # more than the server's workers
    try:
        api = Api(server.base_url, verify=ca_file)
        assert api.get("jobs").status_code == 200
        stats = api.admin("GET", "stats").json()
        assert (stats["connections"], stats["tls_handshakes"]) == (102, 2)
    finally:
        for connection in silent:
            connection.close()


def test_a_handshake_that_stalls_is_cut_off(make_emulator, certificate_files, monkeypatch):
    import socket

    from pulumi_mixpanel.emulator import server as server_module

    monkeypatch.setattr(server_module, "TLS_HANDSHAKE_TIMEOUT_SECONDS", 0.5)
    cert_file, key_file, ca_file = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    port = int(server.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as stalled:
        stalled.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # the start of a ClientHello, no more
        api = Api(server.base_url, verify=ca_file)
        assert api.get("jobs").status_code == 200  # served meanwhile
        stalled.settimeout(10)
        try:
            assert stalled.recv(1024) == b""  # the server hung up once the handshake timed out
        except ConnectionResetError:
            pass
    stats = api.admin("GET", "stats").json()
    assert (stats["connections"], stats["tls_handshakes"]) == (3, 2)


def test_one_pooled_session_reuses_its_tls_connections(make_emulator, certificate_files):
    from concurrent.futures import ThreadPoolExecutor

    from requests.adapters import HTTPAdapter

    cert_file, key_file, ca_file = certificate_files
    server = make_emulator(tls_cert=cert_file, tls_key=key_file)
    api = Api(server.base_url, verify=ca_file)
    api.session.mount("https://", HTTPAdapter(pool_connections=1, pool_maxsize=16))
    admin = requests.Session()
    admin.verify = ca_file

    def stats():
        return admin.get(server.base_url + "/_emulator/stats", timeout=10, verify=ca_file).json()

    before = stats()
    assert {api.get("jobs").status_code for _ in range(200)} == {200}
    sequential = stats()
    with ThreadPoolExecutor(16) as pool:
        assert set(pool.map(lambda _: api.get("jobs").status_code, range(200))) == {200}
    concurrent = stats()
    assert (
        sequential["connections"] - before["connections"]
        == sequential["tls_handshakes"] - before["tls_handshakes"]
        == 1
    )
    assert concurrent["connections"] - before["connections"] <= 16  # the pool's size, never one per call
    assert concurrent["tls_handshakes"] - before["tls_handshakes"] == concurrent["connections"] - before["connections"]
    assert concurrent["requests"] - before["requests"] == 400
    admin.close()
