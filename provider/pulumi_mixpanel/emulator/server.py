"""HTTP wiring: the WSGI application, the cheroot server it runs on, and EmulatorServer.

The server is cheroot's production WSGI server (HTTP/1.1 keep-alive, a pool of worker threads,
idle connections parked in a selector instead of a thread each). Three hooks adapt it, all
through cheroot's own extension points (ConnectionClass, gateway, ssl_adapter, process_conn):

- TLS handshakes run in a worker thread, bounded by a timeout, and only once the client has
  sent something. cheroot's builtin adapter handshakes in its single accept loop, where one
  client that connects and stays silent would stall every other client.
- A new connection waits in the selector until it has data, so silent clients hold no worker.
- The drop_after_commit fault: the gateway shuts the TCP connection down without writing a
  byte when the application asks for it.

It also counts accepted connections and completed handshakes for /_emulator/stats.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from cheroot import errors, wsgi
from cheroot.makefile import MakeFile
from cheroot.server import HTTPConnection
from cheroot.ssl.builtin import BuiltinSSLAdapter
from werkzeug.wrappers import Request, Response

from .admin import ADMIN_PREFIX, AdminApi, json_response
from .api import API_PREFIX, OPERATION_METHODS, ApiResult, PipelineApi
from .auth import Credentials, identify
from .clock import SimulatedClock
from .faults import Fault, FaultQueue, fault_from
from .requestlog import RequestLog, TrafficStats
from .state import PipelineStore

logger = logging.getLogger("pulumi_mixpanel.emulator")

SERVER_NAME = "mixpanel-emulator"
IDLE_CONNECTION_TIMEOUT_SECONDS = 120  # idle keep-alive connections close after this (also the read timeout)
TLS_HANDSHAKE_TIMEOUT_SECONDS = 10  # a client that starts a handshake has this long to finish it
WORKER_THREADS = 32  # requests served at once (connections waiting for a request hold none)
LISTEN_BACKLOG = 128
SHUTDOWN_POLL_SECONDS = 0.02  # how quickly stop() is noticed by the selector loop (its select timeout)
SHUTDOWN_TIMEOUT_SECONDS = 2  # stop() waits this long for requests in flight, then closes their sockets
# Set in the WSGI environ by the application: answer nothing and shut the TCP connection down.
DROP_CONNECTION = "mixpanel_emulator.drop_connection"


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
        # Path only: query strings and headers (credentials) stay out of the log.
        if environ.get(DROP_CONNECTION):
            logger.info("%s %s %s, not sent: connection dropped", request.method, request.path, response.status_code)
        else:
            logger.info("%s %s %s", request.method, request.path, response.status_code)
        return response(environ, start_response)

    def _api_request(self, request: Request, environ: dict) -> Response:
        op = request.path[len(API_PREFIX) :].strip("/")
        query = request.args.to_dict(flat=False)
        form = request.form.to_dict(flat=False)  # parsed for GET too: the classic doc sends status with -d
        values = {key: list(items) for key, items in query.items()}
        for key, items in form.items():
            values.setdefault(key, []).extend(items)
        authorization = request.headers.get("Authorization")

        fault = self.faults.take(op) if op in OPERATION_METHODS else None
        # Sleep before touching any state, and never while holding a lock.
        delay_ms = self.latency_ms + ((fault.latency_ms or 0) if fault and fault.kind == "latency" else 0)
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
            environ[DROP_CONNECTION] = True  # EmulatorGateway shuts the connection down instead of answering
        return json_response(result.status, result.body, result.headers)


def _fault_result(fault: Fault, caller) -> ApiResult:
    headers = {}
    if fault.retry_after is not None:
        retry_after = fault.retry_after
        headers["Retry-After"] = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
    body = {"error": f"emulated fault: HTTP {fault.status}", "status": "error"}
    return ApiResult(fault.status or 500, body, caller, headers)


class EmulatorGateway(wsgi.Gateway_10):
    """cheroot's WSGI 1.0 gateway, except that it can hang up instead of answering.

    When the application sets DROP_CONNECTION (the drop_after_commit fault), the operation has
    run and committed; the client then gets no status line, no header, no byte at all: the TCP
    connection is shut down, as when a connection breaks after the server did the work.
    """

    def respond(self) -> None:
        response = self.req.server.wsgi_app(self.env, self.start_response)
        dropped = bool(self.env.get(DROP_CONNECTION))
        try:
            if dropped:
                self._hang_up()
                return
            for chunk in filter(None, response):
                if not isinstance(chunk, bytes):
                    raise ValueError("WSGI applications must yield bytes")
                self.write(chunk)
        finally:
            if not dropped:
                self.req.ensure_headers_sent()
            if hasattr(response, "close"):
                response.close()

    def _hang_up(self) -> None:
        self.req.close_connection = True
        self.req.sent_headers = True  # so that cheroot writes nothing, not even an error page
        try:
            self.req.conn.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class DeferredHandshakeAdapter(BuiltinSSLAdapter):
    """cheroot's builtin TLS adapter, but wrap() leaves the handshake to EmulatorConnection.

    The builtin wrap() handshakes in the selector thread that accepts every connection, so a
    client that connects and never says hello would stall all others until its timeout.
    """

    def wrap(self, sock: socket.socket):
        try:
            wrapped = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        except OSError as error:  # the client is already gone: cheroot drops the connection quietly
            raise errors.FatalSSLAlert(*error.args) from error
        return wrapped, {}  # the WSGI environ entries come once the handshake is done


class EmulatorConnection(HTTPConnection):
    """One client connection: counted, TCP_NODELAY, and its TLS handshake done in a worker."""

    def __init__(self, server: EmulatorHTTPServer, sock: socket.socket, makefile=MakeFile):
        super().__init__(server, sock, makefile)
        self.waited_for_data = False  # see EmulatorHTTPServer.process_conn
        self.handshake_pending = isinstance(sock, ssl.SSLSocket)
        # Headers and body are separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        server.traffic_stats.connection_accepted()

    def communicate(self) -> bool:
        if self.handshake_pending and not self._handshake():
            return False  # closes the connection
        return super().communicate()

    def _handshake(self) -> bool:
        sock = self.socket
        try:
            sock.settimeout(TLS_HANDSHAKE_TIMEOUT_SECONDS)
            sock.do_handshake()
            sock.settimeout(self.server.timeout)
        except (OSError, ValueError) as error:  # ssl.SSLError and socket.timeout are OSErrors
            logger.debug("TLS handshake with %s failed: %s", self.remote_addr, error)
            return False
        self.handshake_pending = False
        self.ssl_env = self.server.ssl_adapter.get_environ(sock)
        self.server.traffic_stats.tls_handshake_completed()
        return True


class EmulatorHTTPServer(wsgi.Server):
    """cheroot's WSGI server with the emulator's connection class and gateway."""

    ConnectionClass = EmulatorConnection

    def __init__(self, bind_addr: tuple[str, int], app: Callable, traffic_stats: TrafficStats):
        super().__init__(
            bind_addr,
            app,
            numthreads=WORKER_THREADS,
            server_name=SERVER_NAME,
            request_queue_size=LISTEN_BACKLOG,
            timeout=IDLE_CONNECTION_TIMEOUT_SECONDS,
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )
        self.gateway = EmulatorGateway
        self.traffic_stats = traffic_stats
        self.keep_alive_conn_limit = None  # type: ignore[assignment]  # keep every client's connections (default 10)
        self.expiration_interval = SHUTDOWN_POLL_SECONDS

    def process_conn(self, conn: EmulatorConnection) -> None:
        if not conn.waited_for_data:
            # A new connection waits in the selector until the client sends something (its TLS
            # hello or its request); only then does a worker take it.
            conn.waited_for_data = True
            self.put_conn(conn)
            return
        super().process_conn(conn)

    def error_log(self, msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
        # cheroot reports dropped connections and bad clients here; only its own faults matter.
        if level >= logging.ERROR:
            logger.error("%s", msg, exc_info=traceback)
        else:
            logger.debug("%s", msg)


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
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an integer from 0 to 65535, not {port!r}")
        if isinstance(latency_ms, bool) or not isinstance(latency_ms, int) or latency_ms < 0:
            raise ValueError(f"latency_ms must be a non-negative integer, not {latency_ms!r}")
        if isinstance(project_id, bool) or not isinstance(project_id, int) or project_id < 1:
            raise ValueError(f"project_id must be a positive integer, not {project_id!r}")
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
        self._httpd: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def uses_default_credentials(self) -> bool:
        return self.credentials.uses_defaults

    def start(self) -> EmulatorServer:
        """Listen and serve in background threads; returns once connections are accepted."""
        if self._httpd is not None:
            raise RuntimeError("the emulator is already running")
        bind_host = self.host or "0.0.0.0"  # cheroot wants all interfaces spelled out
        httpd = EmulatorHTTPServer((bind_host, self.port), self.app, self.stats)
        if self.tls_cert:
            httpd.ssl_adapter = DeferredHandshakeAdapter(self.tls_cert, self.tls_key)
        listening = threading.Event()
        failures: list[BaseException] = []

        def serve() -> None:
            # prepare() binds, listens and starts the workers. Run here, it makes every thread
            # cheroot starts a daemon (they inherit it), like this one: a server that is never
            # stopped does not keep the interpreter from exiting.
            try:
                httpd.prepare()
            except BaseException as error:
                failures.append(error)
                return
            finally:
                listening.set()
            httpd.serve()

        thread = threading.Thread(target=serve, name="mixpanel-emulator", daemon=True)
        thread.start()
        listening.wait()
        if failures:
            thread.join()
            raise failures[0]
        self._httpd, self._thread = httpd, thread
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
        return f"{scheme}://{host}:{self._httpd.bind_addr[1]}"

    def stop(self) -> None:
        """Stop serving: idle keep-alive connections are closed at once, requests in flight
        get SHUTDOWN_TIMEOUT_SECONDS to finish before their sockets are shut down."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        logger.info("stopped")

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
