"""The emulator's own admin API under /_emulator/ (JSON in and out, loopback clients only).

It needs no Mixpanel credentials, so it refuses any client that is not on this machine.
Requests are routed with werkzeug's routing: a path it does not know is a 404, a known path
with another method a 405 with `Allow`.
"""

from __future__ import annotations

import ipaddress
import json
import math
from dataclasses import dataclass

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .errors import ApiError, bad_request
from .faults import FaultError, FaultQueue, fault_from
from .requestlog import RequestLog, TrafficStats
from .state import TASK_OUTCOMES, PipelineStore

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


ROUTES = Map(
    [
        Rule(f"{ADMIN_PREFIX}pipelines", methods=["GET"], endpoint="list_pipelines"),
        Rule(f"{ADMIN_PREFIX}pipelines/<name>/cancel", methods=["POST"], endpoint="cancel_pipeline"),
        Rule(f"{ADMIN_PREFIX}pipelines/<name>/outcome", methods=["POST"], endpoint="set_task_outcome"),
        Rule(f"{ADMIN_PREFIX}requests", methods=["GET"], endpoint="list_requests"),
        Rule(f"{ADMIN_PREFIX}requests", methods=["DELETE"], endpoint="clear_requests"),
        Rule(f"{ADMIN_PREFIX}reset", methods=["POST"], endpoint="reset"),
        Rule(f"{ADMIN_PREFIX}faults", methods=["GET"], endpoint="list_faults"),
        Rule(f"{ADMIN_PREFIX}faults", methods=["POST"], endpoint="add_faults"),
        Rule(f"{ADMIN_PREFIX}faults", methods=["DELETE"], endpoint="clear_faults"),
        Rule(f"{ADMIN_PREFIX}clock", methods=["GET"], endpoint="show_clock"),
        Rule(f"{ADMIN_PREFIX}clock", methods=["POST"], endpoint="advance_clock"),
        Rule(f"{ADMIN_PREFIX}stats", methods=["GET"], endpoint="stats"),
    ],
    strict_slashes=False,  # /_emulator/pipelines/ is /_emulator/pipelines, without a redirect
    merge_slashes=False,
)


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
            endpoint, arguments = ROUTES.bind_to_environ(request.environ).match()
            return json_response(200, getattr(self, f"_{endpoint}")(request, **arguments))
        except MethodNotAllowed as error:
            allowed = ", ".join(sorted(set(error.valid_methods or ()) - {"HEAD"}))
            message = f"{request.method} not allowed on {request.path}; use {allowed}"
            return json_response(405, {"error": message, "status": "error"}, {"Allow": allowed})
        except HTTPException:  # NotFound, or anything else the routing refuses
            return json_response(
                404, {"error": f"no admin endpoint {request.method} {request.path}", "status": "error"}
            )
        except ApiError as error:
            return json_response(error.status, error.body(), error.headers)

    # --- endpoints (the Rule's endpoint name, with a leading underscore) ---------------------

    def _list_pipelines(self, request: Request) -> object:
        return {"pipelines": [pipeline.admin_view() for pipeline in self.store.all()]}

    def _cancel_pipeline(self, request: Request, name: str) -> object:
        self.store.cancel(name, allow_trial=True)
        return {"canceled": name}

    def _set_task_outcome(self, request: Request, name: str) -> object:
        self.store.get(name)  # an unknown pipeline is a 404 whatever the body
        body = _json_body(request)
        if not isinstance(body, dict):
            raise bad_request('the request body must be a JSON object: {"outcome": "failed"}')
        unknown = sorted(set(body) - {"outcome"})
        if unknown:
            raise bad_request(f"unknown field(s): {', '.join(unknown)}; only outcome is accepted")
        if "outcome" not in body:
            raise bad_request(f"missing field: outcome (one of {', '.join(TASK_OUTCOMES)})")
        outcome = body["outcome"]
        if not isinstance(outcome, str) or outcome not in TASK_OUTCOMES:
            raise bad_request(f"outcome must be one of {', '.join(TASK_OUTCOMES)}, not {json.dumps(outcome)}")
        return self.store.set_task_outcome(name, outcome).admin_view()

    def _list_requests(self, request: Request) -> object:
        return {"requests": self.request_log.list()}

    def _clear_requests(self, request: Request) -> object:
        self.request_log.clear()
        return {"requests": []}

    def _reset(self, request: Request) -> object:
        self.store.reset()
        self.request_log.clear()
        self.faults.clear()
        return {"reset": True}

    def _list_faults(self, request: Request) -> object:
        return {"faults": self.faults.list()}

    def _add_faults(self, request: Request) -> object:
        body = _json_body(request)
        descriptions = body if isinstance(body, list) else [body]
        try:
            faults = [fault_from(description) for description in descriptions]  # type: ignore[arg-type]
        except FaultError as error:
            raise bad_request(f"invalid fault: {error}") from None
        for fault in faults:
            self.faults.add(fault)
        return {"faults": self.faults.list()}

    def _clear_faults(self, request: Request) -> object:
        self.faults.clear()
        return {"faults": []}

    def _show_clock(self, request: Request) -> object:
        return {"now": self.store.clock.now().isoformat(), "offset_seconds": self.store.clock.offset_seconds}

    def _advance_clock(self, request: Request) -> object:
        body = _json_body(request)
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
            raise bad_request("advance_seconds must be a number")
        if seconds < 0:
            raise bad_request("advance_seconds must not be negative: the simulated clock only moves forward")
        self.store.advance_clock(seconds)
        return self._show_clock(request)

    def _stats(self, request: Request) -> object:
        return self.stats.snapshot()


def _json_body(request: Request) -> object:
    try:
        return json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise bad_request("the request body must be JSON") from None
