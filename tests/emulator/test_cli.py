"""The command line: `python -m pulumi_mixpanel.emulator` and the `mixpanel-emulator` script."""

import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pulumi_mixpanel.emulator.__main__ import main

from .emulator_support import Api, fields_for


def start_cli(*args):
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_mixpanel.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first_line = process.stdout.readline().strip()
    return process, first_line


def stop_cli(process, signum=signal.SIGTERM):
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=10)
    return process.returncode, stdout, stderr


@pytest.fixture
def cli_processes():
    started = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_cli_prints_its_url_first_and_serves_until_sigterm(cli_processes, tmp_path):
    state = tmp_path / "state.json"
    process, url = start_cli(
        "--service-account",
        "cli-user:CLI-SECRET-1",
        "--project-id",
        "7",
        "--api-secret",
        "CLI-API-SECRET-2",
        "--fault",
        "create:503:1",
        "--state",
        str(state),
        "--relax-limits",
    )
    cli_processes.append(process)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), url
    api = Api(url, auth=("cli-user", "CLI-SECRET-1"), project_id=7)
    today = datetime.now(timezone.utc).date().isoformat()  # the CLI runs on real time
    assert api.post("create", fields_for("gcs-raw", from_date=today)).status_code == 503  # the --fault
    assert api.create(fields_for("gcs-raw", from_date=today)) == ["events-daily-gcs-raw"]
    assert api.create(fields_for("s3-raw", from_date=today)) == ["events-daily-s3-raw"]  # relaxed: daily again
    taken = api.post("create", fields_for("gcs-raw", from_date=today, gcs_prefix="b/"))  # names are never changed
    assert taken.json() == {"error": "pipeline events-daily-gcs-raw already exists", "status": "error"}
    assert Api(url, auth=("CLI-API-SECRET-2", ""), project_id=None).get("jobs").status_code == 200
    assert Api(url, auth=("emulator", "emulator-secret"), project_id=1).get("jobs").status_code == 401
    assert state.exists()

    returncode, stdout, stderr = stop_cli(process)
    assert returncode == 0
    assert stdout == ""  # nothing after the URL line
    assert "POST /api/2.0/nessie/pipeline/create 200" in stderr
    for secret in ("CLI-SECRET-1", "CLI-API-SECRET-2"):
        assert secret not in stderr


def test_cli_defaults_and_sigint(cli_processes):
    process, url = start_cli()
    cli_processes.append(process)
    assert Api(url, auth=("emulator", "emulator-secret"), project_id=1).get("jobs").status_code == 200
    assert Api(url, auth=("emulator-api-secret", ""), project_id=None).get("jobs").status_code == 200
    returncode, _, stderr = stop_cli(process, signal.SIGINT)
    assert returncode == 0
    assert "no credential flags" in stderr and "emulator:emulator-secret" in stderr


def test_cli_serves_https(cli_processes, tmp_path):
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    certificate.cert_chain_pems[0].write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))
    authority.cert_pem.write_to_path(str(ca_file))
    process, url = start_cli("--tls-cert", str(cert_file), "--tls-key", str(key_file))
    cli_processes.append(process)
    assert url.startswith("https://127.0.0.1:")
    api = Api(url, auth=("emulator", "emulator-secret"), project_id=1, verify=str(ca_file))
    assert api.get("jobs").status_code == 200
    assert stop_cli(process)[0] == 0


def test_cli_help_documents_the_fault_syntax():
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_mixpanel.emulator", "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    for text in ("--fault", "OP:WHAT:COUNT", "drop_after_commit", "retry_after", "latency_ms", "emulator-api-secret"):
        assert text in result.stdout


@pytest.mark.parametrize(
    "args",
    [["--fault", "create:418:1"], ["--fault", "nothing"], ["--service-account", "no-colon"], ["--tls-key", "k.pem"]],
)
def test_cli_refuses_bad_flags(args, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--port", "0", *args])  # in-process: argparse refuses before anything starts
    assert raised.value.code == 2
    assert capsys.readouterr().out == ""


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    import trustme

    directory = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    certificate, other = authority.issue_cert("127.0.0.1"), authority.issue_cert("localhost")
    files = {name: directory / f"{name}.pem" for name in ("cert", "key", "other_key", "combined", "ca")}
    certificate.cert_chain_pems[0].write_to_path(str(files["cert"]))
    certificate.private_key_pem.write_to_path(str(files["key"]))
    other.private_key_pem.write_to_path(str(files["other_key"]))
    certificate.cert_chain_pems[0].write_to_path(str(files["combined"]))
    certificate.private_key_pem.write_to_path(str(files["combined"]), append=True)
    authority.cert_pem.write_to_path(str(files["ca"]))
    files["missing"] = directory / "missing.pem"
    return {name: str(path) for name, path in files.items()}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port", "65536"], "argument --port: 65536 is not a port number (0-65535"),
        (["--port", "-1"], "argument --port: -1 is not a port number (0-65535"),
        (["--port", "http"], "argument --port: 'http' is not a port number"),
        (["--latency-ms", "-5"], "argument --latency-ms: -5 is negative"),
        (["--project-id", "0"], "argument --project-id: 0 is not a project id; expected a positive integer"),
        (["--project-id", "-7"], "argument --project-id: -7 is not a project id; expected a positive integer"),
        (["--project-id", "1.5"], "argument --project-id: '1.5' is not a project id"),
        (["--tls-cert", "{missing}"], "argument --tls-cert: {missing}: no such file"),
        (["--tls-cert", "{cert}", "--tls-key", "{missing}"], "argument --tls-key: {missing}: no such file"),
        (
            ["--tls-cert", "{cert}"],
            "argument --tls-cert: {cert} holds no private key and --tls-key is not given "
            "(a certificate without its key cannot serve HTTPS)",
        ),
        (["--tls-cert", "{cert}", "--tls-key", "{other_key}"], "cannot use {cert} and {other_key} as a certificate"),
        (["--tls-key", "{key}"], "--tls-key needs --tls-cert"),
    ],
)
def test_cli_refuses_bad_flags_with_one_line_and_status_2(args, message, tls_files):
    args = [arg.format(**tls_files) for arg in args]
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_mixpanel.emulator", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("mixpanel-emulator: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message.format(**tls_files) in result.stderr


def test_cli_serves_https_with_the_key_in_the_certificate_file(cli_processes, tls_files):
    process, url = start_cli("--tls-cert", tls_files["combined"])
    cli_processes.append(process)
    assert url.startswith("https://127.0.0.1:")
    api = Api(url, auth=("emulator", "emulator-secret"), project_id=1, verify=tls_files["ca"])
    assert api.get("jobs").status_code == 200
    assert stop_cli(process)[0] == 0


def test_the_console_script_is_installed():
    script = Path(sys.executable).parent / "mixpanel-emulator"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "mixpanel-emulator" in result.stdout


def test_the_emulator_does_not_import_pulumi():
    code = "import sys, pulumi_mixpanel.emulator.__main__; print('pulumi' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.stdout.strip() == "False", result.stderr
