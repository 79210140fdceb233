"""Injected faults: the next N matching API requests fail, slow down, or lose their answer.

Kinds:
  status             answer that HTTP status (429/500/502/503/504) without running the op
  latency            sleep latency_ms, then run the op normally
  drop_after_commit  run the op (its change is committed), then close the TCP connection
                     without sending any response

CLI spec syntax: OP:WHAT:COUNT[:KEY=VALUE...], where OP is an operation name or `*`, WHAT is
an HTTP status or a kind name, and the options are retry_after=SECONDS (status faults),
latency_ms=MS (latency faults) and after=N (let the first N matching requests through first:
the second pause of a trial's two pipelines, say). Examples: create:503:2, create:drop_after_commit:1,
*:429:3:retry_after=1, jobs:latency:1:latency_ms=3000.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .api import OPERATION_METHODS

FAULT_KINDS = ("status", "latency", "drop_after_commit")
FAULT_STATUSES = (429, 500, 502, 503, 504)
ANY_OPERATION = "*"

SPEC_HELP = """\
fault SPEC syntax: OP:WHAT:COUNT[:KEY=VALUE...]
  OP     create, edit, cancel, pause, resume, status, jobs, timeline, or * for any
  WHAT   429|500|502|503|504 (answer that status without running the op),
         latency (sleep, then run the op; needs latency_ms=MS),
         drop_after_commit (run the op, then close the connection without an answer)
  COUNT  how many matching requests get the fault (default 1)
  KEY    retry_after=SECONDS (adds Retry-After to a status fault), latency_ms=MS,
         after=N (the first N matching requests go through first)
examples: create:503:2  create:drop_after_commit:1  *:429:3:retry_after=1
          jobs:latency:1:latency_ms=3000"""


class FaultError(ValueError):
    """A fault description that does not make sense."""


@dataclass
class Fault:
    op: str
    kind: str
    count: int = 1
    status: int | None = None
    retry_after: float | None = None
    latency_ms: int | None = None
    after: int = 0

    def __post_init__(self) -> None:
        if self.op != ANY_OPERATION and self.op not in OPERATION_METHODS:
            raise FaultError(f"unknown op {self.op!r}; expected one of {', '.join(OPERATION_METHODS)} or *")
        if self.kind not in FAULT_KINDS:
            raise FaultError(f"unknown kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if not isinstance(self.count, int) or self.count < 1:
            raise FaultError("count must be a positive integer")
        if self.kind == "status" and self.status not in FAULT_STATUSES:
            raise FaultError(f"status must be one of {', '.join(map(str, FAULT_STATUSES))}")
        if self.kind != "status" and (self.status is not None or self.retry_after is not None):
            raise FaultError("status and retry_after only apply to status faults")
        if self.retry_after is not None and self.retry_after < 0:
            raise FaultError("retry_after must not be negative")
        if self.kind == "latency" and (not isinstance(self.latency_ms, int) or self.latency_ms < 0):
            raise FaultError("a latency fault needs latency_ms, a non-negative integer")
        if self.kind != "latency" and self.latency_ms is not None:
            raise FaultError("latency_ms only applies to latency faults")
        if isinstance(self.after, bool) or not isinstance(self.after, int) or self.after < 0:
            raise FaultError("after must be a non-negative integer")

    def matches(self, op: str) -> bool:
        return self.op in (ANY_OPERATION, op)

    def to_json(self) -> dict:
        data = {"op": self.op, "kind": self.kind, "count": self.count}
        if self.status is not None:
            data["status"] = self.status
        if self.retry_after is not None:
            data["retry_after"] = self.retry_after
        if self.latency_ms is not None:
            data["latency_ms"] = self.latency_ms
        if self.after:
            data["after"] = self.after
        return data

    @classmethod
    def from_json(cls, data: object) -> Fault:
        if not isinstance(data, dict):
            raise FaultError("a fault is a JSON object")
        unknown = sorted(set(data) - {"op", "kind", "status", "retry_after", "latency_ms", "count", "after"})
        if unknown:
            raise FaultError(f"unknown fault field(s): {', '.join(unknown)}")
        kind = data.get("kind", "status" if "status" in data else "")
        retry_after = data.get("retry_after")
        if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, float))):
            raise FaultError("retry_after must be a number of seconds")
        return cls(
            op=data.get("op", ANY_OPERATION),
            kind=kind,
            count=data.get("count", 1),
            status=data.get("status"),
            retry_after=retry_after,
            latency_ms=data.get("latency_ms"),
            after=data.get("after", 0),
        )

    @classmethod
    def from_spec(cls, spec: str) -> Fault:
        parts = spec.split(":")
        if len(parts) < 2:
            raise FaultError(f"fault spec {spec!r}: expected OP:WHAT[:COUNT[:KEY=VALUE...]]")
        op, what = parts[0], parts[1]
        try:
            count = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        except ValueError:
            raise FaultError(f"fault spec {spec!r}: COUNT must be an integer") from None
        options: dict[str, str] = {}
        for option in (item for part in parts[3:] for item in part.split(",") if item):
            key, equals, value = option.partition("=")
            if not equals or key not in ("retry_after", "latency_ms", "after"):
                raise FaultError(f"fault spec {spec!r}: unknown option {option!r}")
            options[key] = value
        try:
            retry_after = float(options["retry_after"]) if "retry_after" in options else None
            latency_ms = int(options["latency_ms"]) if "latency_ms" in options else None
            after = int(options.get("after", "0"))
        except ValueError:
            raise FaultError(f"fault spec {spec!r}: option values must be numbers") from None
        if what.isdigit():
            return cls(op=op, kind="status", count=count, status=int(what), retry_after=retry_after, after=after)
        return cls(op=op, kind=what, count=count, retry_after=retry_after, latency_ms=latency_ms, after=after)


def fault_from(description: str | dict | Fault) -> Fault:
    if isinstance(description, Fault):
        return description
    if isinstance(description, str):
        return Fault.from_spec(description)
    return Fault.from_json(description)


class FaultQueue:
    """Faults in the order they were added; each request consumes the first that matches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, op: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(op) and fault.after:
                    fault.after -= 1  # this request goes through untouched
                    continue
                if fault.matches(op):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return Fault(**{**fault.__dict__, "count": 1, "after": 0})
            return None

    def list(self) -> list[dict]:
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
