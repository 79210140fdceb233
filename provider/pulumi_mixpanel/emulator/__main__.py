"""`mixpanel-emulator` / `python -m pulumi_mixpanel.emulator`: run the emulator until a signal.

The first line on stdout is the base URL, printed once the server accepts connections.
Everything else (logs) goes to stderr, and never includes a secret.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from .auth import DEFAULT_API_SECRET, DEFAULT_PROJECT_ID, DEFAULT_SERVICE_ACCOUNT
from .faults import SPEC_HELP, Fault, FaultError

DEFAULT_PORT = 8765


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
    parser = argparse.ArgumentParser(
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
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument("--state", metavar="FILE", help="keep pipelines in FILE across restarts")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain)")
    parser.add_argument("--tls-key", metavar="PEM", help="private key of --tls-cert, if not in the same file")
    parser.add_argument(
        "--service-account", metavar="USERNAME:SECRET", type=parse_service_account,
        help="accept this service account (then project_id is required on every call)",
    )
    parser.add_argument("--project-id", type=int, default=DEFAULT_PROJECT_ID, help="the project (default 1)")
    parser.add_argument("--api-secret", metavar="SECRET", help="accept this project API secret (classic auth)")
    parser.add_argument(
        "--relax-limits", action="store_true",
        help="no pipeline count/frequency limits; a clashing name gets -2, -3, ... appended",
    )
    parser.add_argument("--latency-ms", type=int, default=0, metavar="N", help="delay every API request by N ms")
    parser.add_argument(
        "--fault", action="append", default=[], type=parse_fault, metavar="SPEC",
        help="inject a fault (repeatable), e.g. create:503:2; syntax below",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.tls_key and not args.tls_cert:
        build_parser().error("--tls-key needs --tls-cert")
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    log = logging.getLogger("pulumi_mixpanel.emulator")
    from .server import EmulatorServer  # imports werkzeug: only once the flags are known to be good

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
            *DEFAULT_SERVICE_ACCOUNT, args.project_id, DEFAULT_API_SECRET,
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
