"""`mixpanel-emulator` / `python -m pulumi_mixpanel.emulator`: run the emulator until a signal.

The first line on stdout is the base URL, printed once the server accepts connections.
Everything else (logs) goes to stderr, and never includes a secret.

Flags are checked before anything starts: a bad one is a single `mixpanel-emulator: error:
...` line on stderr and exit status 2, never a traceback and never a value quietly adjusted.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import ssl
import sys
import threading
from typing import NoReturn

from .auth import DEFAULT_API_SECRET, DEFAULT_PROJECT_ID, DEFAULT_SERVICE_ACCOUNT
from .faults import SPEC_HELP, Fault, FaultError

DEFAULT_PORT = 8765
PRIVATE_KEY_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")


class Parser(argparse.ArgumentParser):
    """argparse, but a refusal is one line (`prog: error: message`) rather than usage + error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_port(text: str) -> int:
    port = _integer(text, "a port number")
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port number (0-65535; 0 picks a free port)")
    return port


def parse_non_negative(text: str) -> int:
    value = _integer(text, "a whole number of milliseconds")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; expected 0 or more milliseconds")
    return value


def parse_project_id(text: str) -> int:
    value = _integer(text, "a project id (a positive integer)")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a project id; expected a positive integer")
    return value


def _integer(text: str, what: str) -> int:
    try:
        return int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None


def parse_readable_file(text: str) -> str:
    if not os.path.exists(text):
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"{text}: not a file")
    if not os.access(text, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text}: not readable")
    return text


def check_tls_files(parser: argparse.ArgumentParser, cert: str | None, key: str | None) -> None:
    """Refuse a key without its certificate, a certificate without its key, or files ssl cannot load."""
    if key and not cert:
        parser.error("--tls-key needs --tls-cert")
    if not cert:
        return
    if key is None:
        try:
            with open(cert, encoding="ascii", errors="replace") as handle:
                holds_key = PRIVATE_KEY_PEM.search(handle.read()) is not None
        except OSError as error:
            parser.error(f"argument --tls-cert: {cert}: {error.strerror or error}")
        if not holds_key:
            parser.error(
                f"argument --tls-cert: {cert} holds no private key and --tls-key is not given "
                "(a certificate without its key cannot serve HTTPS)"
            )
    try:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        # The password callback keeps OpenSSL from prompting on the terminal for an encrypted key.
        context.load_cert_chain(cert, key, password=lambda: b"")
    except (ssl.SSLError, OSError) as error:
        files = f"{cert} and {key}" if key else cert
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or str(error)
        parser.error(f"--tls-cert/--tls-key: cannot use {files} as a certificate and its private key: {reason}")


def parse_service_account(text: str) -> tuple[str, str]:
    username, colon, secret = text.partition(":")
    if not colon or not username or not secret:
        raise argparse.ArgumentTypeError("expected USERNAME:SECRET")
    return username, secret


def parse_fault(text: str) -> Fault:
    try:
        return Fault.from_spec(text)
    except FaultError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="mixpanel-emulator",
        description="A local emulator of Mixpanel's Data Pipelines API. Prints its base URL as the "
        "first line on stdout; clients use <base URL>/api/2.0/nessie/pipeline/<op>.",
        epilog=(
            f"With no credential flags it accepts service account "
            f"{DEFAULT_SERVICE_ACCOUNT[0]}:{DEFAULT_SERVICE_ACCOUNT[1]} with project {DEFAULT_PROJECT_ID}, "
            f"and API secret {DEFAULT_API_SECRET}.\n\n{SPEC_HELP}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=parse_port,
        default=DEFAULT_PORT,
        help=f"port, 0-65535 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument("--state", metavar="FILE", help="keep pipelines in FILE across restarts")
    parser.add_argument(
        "--tls-cert",
        metavar="PEM",
        type=parse_readable_file,
        help="serve HTTPS with this certificate (chain); it must hold the private key unless --tls-key is given",
    )
    parser.add_argument(
        "--tls-key", metavar="PEM", type=parse_readable_file, help="private key of --tls-cert, if not in the same file"
    )
    parser.add_argument(
        "--service-account",
        metavar="USERNAME:SECRET",
        type=parse_service_account,
        help="accept this service account (then project_id is required on every call)",
    )
    parser.add_argument(
        "--project-id",
        type=parse_project_id,
        default=DEFAULT_PROJECT_ID,
        metavar="ID",
        help=f"the project, a positive integer (default {DEFAULT_PROJECT_ID})",
    )
    parser.add_argument("--api-secret", metavar="SECRET", help="accept this project API secret (classic auth)")
    parser.add_argument(
        "--relax-limits",
        action="store_true",
        help="lift the project limits (pipeline counts, distinct frequencies, one trial); destinations must "
        "still differ, and a create whose name exists is still refused (names are never changed)",
    )
    parser.add_argument(
        "--latency-ms", type=parse_non_negative, default=0, metavar="N", help="delay every API request by N ms (N >= 0)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        type=parse_fault,
        metavar="SPEC",
        help="inject a fault (repeatable), e.g. create:503:2; syntax below",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_tls_files(parser, args.tls_cert, args.tls_key)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    log = logging.getLogger("pulumi_mixpanel.emulator")
    from .server import EmulatorServer  # imports cheroot and werkzeug: only once the flags are known to be good

    try:
        server = EmulatorServer(
            host=args.host,
            port=args.port,
            service_account=args.service_account,
            project_id=args.project_id,
            api_secret=args.api_secret,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            state_file=args.state,
            relax_limits=args.relax_limits,
            latency_ms=args.latency_ms,
            faults=args.fault,
        ).start()
    except (OSError, ValueError) as error:
        print(f"mixpanel-emulator: cannot start: {error}", file=sys.stderr)
        return 1

    if server.uses_default_credentials:
        # These defaults are public (README, --help), not secrets; a secret given by flag is never echoed.
        log.info(
            "no credential flags: accepting service account %s:%s with project %s, and API secret %s",
            *DEFAULT_SERVICE_ACCOUNT,
            args.project_id,
            DEFAULT_API_SECRET,
        )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(server.base_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
