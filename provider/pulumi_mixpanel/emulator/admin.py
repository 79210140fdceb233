"""The emulator's own admin API under /_emulator/ (JSON in and out, loopback clients only).

It needs no Mixpanel credentials, so it refuses any client that is not on this machine.
"""

from __future__ import annotations

import ipaddress
import json
import math
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from .errors import ApiError, bad_request, not_found
from .faults import FaultError, FaultQueue, fault_from
from .requestlog import RequestLog, TrafficStats
from .state import PipelineStore

ADMIN_PREFIX = "/_emulator/"


def json_response(status: int, body: object, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def is_loopback(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


@dataclass
class AdminApi:
    store: PipelineStore
    faults: FaultQueue
    request_log: RequestLog
    stats: TrafficStats

    def handle(self, request: Request) -> Response:
        if not is_loopback(request.remote_addr):
            return json_response(403, {"error": "the admin API only answers loopback clients", "status": "error"})
        try:
            return json_response(200, self._route(request.method, request.path[len(ADMIN_PREFIX):], request))
        except ApiError as error:
            return json_response(error.status, error.body(), error.headers)

    def _route(self, method: str, route: str, request: Request) -> object:
        route = route.strip("/")
        if route == "pipelines" and method == "GET":
            return {"pipelines": [pipeline.admin_view() for pipeline in self.store.all()]}
        if route.startswith("pipelines/") and route.endswith("/cancel") and method == "POST":
            name = route[len("pipelines/"):-len("/cancel")]
            self.store.cancel(name, allow_trial=True)
            return {"canceled": name}
        if route == "requests" and method == "GET":
            return {"requests": self.request_log.list()}
        if route == "requests" and method == "DELETE":
            self.request_log.clear()
            return {"requests": []}
        if route == "reset" and method == "POST":
            self.store.reset()
            self.request_log.clear()
            self.faults.clear()
            return {"reset": True}
        if route == "faults":
            return self._faults(method, request)
        if route == "clock" and method in ("GET", "POST"):
            if method == "POST":
                self._advance_clock(_json_body(request))
            return {"now": self.store.clock.now().isoformat(), "offset_seconds": self.store.clock.offset_seconds}
        if route == "stats" and method == "GET":
            return self.stats.snapshot()
        raise not_found(f"no admin endpoint {method} {ADMIN_PREFIX}{route}")

    def _faults(self, method: str, request: Request) -> object:
        if method == "POST":
            body = _json_body(request)
            descriptions = body if isinstance(body, list) else [body]
            try:
                faults = [fault_from(description) for description in descriptions]
            except FaultError as error:
                raise bad_request(f"invalid fault: {error}") from None
            for fault in faults:
                self.faults.add(fault)
        elif method == "DELETE":
            self.faults.clear()
        elif method != "GET":
            raise ApiError(405, f"{method} not allowed on {ADMIN_PREFIX}faults")
        return {"faults": self.faults.list()}

    def _advance_clock(self, body: object) -> None:
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
            raise bad_request("advance_seconds must be a number")
        if seconds < 0:
            raise bad_request("advance_seconds must not be negative: the simulated clock only moves forward")
        self.store.advance_clock(seconds)


def _json_body(request: Request) -> object:
    try:
        return json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise bad_request("the request body must be JSON") from None
