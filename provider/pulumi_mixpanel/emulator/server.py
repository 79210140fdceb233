"""HTTP wiring: the WSGI application, a keep-alive request handler, and EmulatorServer.

The server is werkzeug's threaded WSGI server. Its stock request handler closes every
connection after one response (`Connection: close`); the handler here keeps HTTP/1.1
connections open instead, so clients can reuse them (and /_emulator/stats can prove it).
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time
from datetime import datetime
from typing import Callable, Iterable
from urllib.parse import urlsplit

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import LimitedStream

from .admin import ADMIN_PREFIX, AdminApi, json_response
from .api import API_PREFIX, OPERATION_METHODS, ApiResult, PipelineApi
from .auth import Credentials, identify
from .clock import SimulatedClock
from .faults import Fault, FaultQueue, fault_from
from .requestlog import RequestLog, TrafficStats
from .state import PipelineStore

logger = logging.getLogger("pulumi_mixpanel.emulator")

IDLE_CONNECTION_TIMEOUT_SECONDS = 120
SHUTDOWN_POLL_SECONDS = 0.05  # how quickly stop() is noticed by the accept loop
# Set in the WSGI environ when a drop_after_commit fault has shut the connection down.
CONNECTION_DROPPED = "mixpanel_emulator.connection_dropped"


class EmulatorApp:
    """The WSGI application: API requests (with faults and latency), admin requests, 404s."""

    def __init__(
        self,
        api: PipelineApi,
        admin: AdminApi,
        faults: FaultQueue,
        request_log: RequestLog,
        stats: TrafficStats,
        latency_ms: int = 0,
    ):
        self.api = api
        self.admin = admin
        self.faults = faults
        self.request_log = request_log
        self.stats = stats
        self.latency_ms = latency_ms

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith(ADMIN_PREFIX):
                response = self.admin.handle(request)
            elif request.path.startswith(API_PREFIX):
                response = self._api_request(request, environ)
            else:
                response = json_response(404, {"error": f"no endpoint {request.path}", "status": "error"})
        except Exception:  # a bug in the emulator: answer 500 rather than a dropped connection
            logger.exception("internal error on %s %s", request.method, request.path)
            response = json_response(500, {"error": "internal emulator error", "status": "error"})
        return response(environ, start_response)

    def _api_request(self, request: Request, environ: dict) -> Response:
        op = request.path[len(API_PREFIX):].strip("/")
        query = request.args.to_dict(flat=False)
        form = request.form.to_dict(flat=False)  # parsed for GET too: the classic doc sends status with -d
        values = {key: list(items) for key, items in query.items()}
        for key, items in form.items():
            values.setdefault(key, []).extend(items)
        authorization = request.headers.get("Authorization")

        fault = self.faults.take(op) if op in OPERATION_METHODS else None
        # Sleep before touching any state, and never while holding a lock.
        delay_ms = self.latency_ms + (fault.latency_ms if fault and fault.kind == "latency" else 0)
        if delay_ms:
            time.sleep(delay_ms / 1000)

        if fault and fault.kind == "status":
            result = _fault_result(fault, identify(authorization, self.api.credentials))
        else:
            result = self.api.handle(op, request.method, values, authorization)

        entry = {
            "method": request.method,
            "op": op,
            "path": request.path,
            "query": query,
            "form": form,
            "auth": result.caller.label,
            "status": result.status,
        }
        if fault:
            entry["fault"] = fault.kind
        self.request_log.record(entry)
        self.stats.request_served()

        if fault and fault.kind == "drop_after_commit":
            _drop_connection(environ)
        return json_response(result.status, result.body, result.headers)


def _fault_result(fault: Fault, caller) -> ApiResult:
    headers = {}
    if fault.retry_after is not None:
        retry_after = fault.retry_after
        headers["Retry-After"] = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
    body = {"error": f"emulated fault: HTTP {fault.status}", "status": "error"}
    return ApiResult(fault.status, body, caller, headers)


def _drop_connection(environ: dict) -> None:
    """Shut the TCP connection down so that the client gets no response at all."""
    environ[CONNECTION_DROPPED] = True
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class ConnectionTracker:
    """Counts connections and remembers open ones, so stop() can close idle keep-alives."""

    def __init__(self, stats: TrafficStats):
        self.stats = stats
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def opened(self, connection: socket.socket) -> None:
        self.stats.connection_accepted()
        with self._lock:
            self._open.add(connection)

    def closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)

    def close_all(self) -> None:
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class DeferredHandshakeContext(ssl.SSLContext):
    """Leaves the TLS handshake to the connection's handler thread.

    werkzeug wraps the listening socket, so by default accept() does the handshake in the
    one thread that accepts connections: a client that connects and stays silent would stall
    every other client. The handler does the handshake instead, with its timeout.
    """

    def wrap_socket(self, sock, *args, **kwargs):  # type: ignore[override]
        kwargs["do_handshake_on_connect"] = False
        return super().wrap_socket(sock, *args, **kwargs)


class KeepAliveRequestHandler(WSGIRequestHandler):
    """werkzeug's handler, but answering with Content-Length and keeping the connection open."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_CONNECTION_TIMEOUT_SECONDS  # idle keep-alive connections are closed after this
    server: BaseWSGIServer

    @property
    def server_version(self) -> str:  # type: ignore[override]
        return "mixpanel-emulator"

    def setup(self) -> None:
        super().setup()
        # Headers and body are separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.connection_tracker.opened(self.connection)

    def handle(self) -> None:
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()  # in this connection's thread, bounded by `timeout`
            except OSError as error:  # ssl.SSLError is an OSError
                logger.debug("TLS handshake with %s failed: %s", self.client_address[0], error)
                self.close_connection = True
                return
            self.server.connection_tracker.stats.tls_handshake_completed()
        super().handle()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.connection_tracker.closed(self.connection)

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()
        if not environ.get("wsgi.input_terminated"):
            try:
                length = max(0, int(environ.get("CONTENT_LENGTH") or 0))
            except ValueError:
                self.close_connection = True
                self.send_error(400, "invalid Content-Length")
                return
            environ["wsgi.input"] = LimitedStream(self.rfile, length)

        response: dict = {}

        def start_response(status, headers, exc_info=None):
            response["status"], response["headers"] = status, headers
            return lambda data: response.setdefault("written", []).append(data)

        try:
            chunks = self.server.app(environ, start_response)
            try:
                body = b"".join(response.get("written", [])) + b"".join(chunks)
            finally:
                if hasattr(chunks, "close"):
                    chunks.close()
            if environ.get(CONNECTION_DROPPED):
                self.close_connection = True
                return
            # Whatever the app did not read must go, or it would be parsed as the next request.
            while environ["wsgi.input"].read(65536):
                pass
        except (ConnectionError, socket.timeout):
            self.close_connection = True
            return
        except Exception:
            logger.exception("error while answering %s %s", self.command, urlsplit(self.path).path)
            self.close_connection = True
            response = {"status": "500 INTERNAL SERVER ERROR", "headers": [("Content-Type", "application/json")]}
            body = json.dumps({"error": "internal emulator error", "status": "error"}).encode()

        code, _, reason = response["status"].partition(" ")
        self.send_response(int(code), reason)
        for key, value in response["headers"]:
            if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Path only: query strings and headers stay out of the log.
        logger.info("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_error(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's signature
        logger.debug("connection from %s: " + format, self.client_address[0], *args)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        logger.debug(format, *args)


class EmulatorServer:
    """A local Mixpanel Data Pipelines API, serving in a background thread.

    Without service_account and api_secret it accepts the defaults: service account
    `emulator:emulator-secret` for project 1, and API secret `emulator-api-secret`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        service_account: tuple[str, str] | None = None,
        project_id: int = 1,
        api_secret: str | None = None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
        state_file: str | None = None,
        clock: Callable[[], datetime] | None = None,
        relax_limits: bool = False,
        latency_ms: int = 0,
        faults: Iterable[str | dict | Fault] = (),
    ):
        if tls_key and not tls_cert:
            raise ValueError("tls_key needs tls_cert")
        self.host = host
        self.port = port
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.credentials = Credentials.build(service_account, api_secret, project_id)
        self.clock = SimulatedClock(clock)
        self.store = PipelineStore(self.credentials.project_id, self.clock, relax_limits, state_file)
        self.faults = FaultQueue()
        for description in faults:
            self.faults.add(fault_from(description))
        self.request_log = RequestLog()
        self.stats = TrafficStats()
        self.app = EmulatorApp(
            api=PipelineApi(self.store, self.credentials),
            admin=AdminApi(self.store, self.faults, self.request_log, self.stats),
            faults=self.faults,
            request_log=self.request_log,
            stats=self.stats,
            latency_ms=latency_ms,
        )
        self._httpd: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def uses_default_credentials(self) -> bool:
        return self.credentials.uses_defaults

    def start(self) -> EmulatorServer:
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        ssl_context = None
        if self.tls_cert:
            ssl_context = DeferredHandshakeContext(ssl.PROTOCOL_TLS_SERVER)
            ssl_context.load_cert_chain(self.tls_cert, self.tls_key)
        httpd = make_server(
            self.host,
            self.port,
            self.app,
            threaded=True,
            request_handler=KeepAliveRequestHandler,
            ssl_context=ssl_context,
        )
        httpd.connection_tracker = ConnectionTracker(self.stats)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="mixpanel-emulator",
            daemon=True,
        )
        self._thread.start()
        logger.info("serving the Mixpanel Data Pipelines API at %s", self.base_url)
        return self

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the emulator is not running; call start() first")
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        scheme = "https" if self.tls_cert else "http"
        return f"{scheme}://{host}:{self._httpd.server_port}"

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.connection_tracker.close_all()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        logger.info("stopped")

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
