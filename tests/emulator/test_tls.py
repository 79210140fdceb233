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
    api = Api(make_emulator(tls_cert=cert_file, tls_key=key_file, faults=["create:drop_after_commit:1"]).base_url,
              verify=ca_file)
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
