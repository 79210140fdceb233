"""A thin client for the emulator's /_emulator/ admin API."""

from __future__ import annotations

from typing import Any, Optional

import requests


class EmulatorAdmin:
    def __init__(self, base_url: str, verify: Any = True) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = requests.Session()
        self._session.verify = verify

    def _url(self, path: str) -> str:
        return f"{self.base_url}/_emulator/{path}"

    def pipelines(self) -> list[dict[str, Any]]:
        return self._session.get(self._url("pipelines"), timeout=10).json()["pipelines"]

    def pipeline(self, name: str) -> Optional[dict[str, Any]]:
        return next((p for p in self.pipelines() if p["name"] == name), None)

    def requests(self, op: Optional[str] = None) -> list[dict[str, Any]]:
        entries = self._session.get(self._url("requests"), timeout=10).json()["requests"]
        return [e for e in entries if op is None or e["op"] == op]

    def clear_requests(self) -> None:
        self._session.delete(self._url("requests"), timeout=10).raise_for_status()

    def cancel_behind_the_back(self, name: str) -> None:
        self._session.post(self._url(f"pipelines/{name}/cancel"), timeout=10).raise_for_status()

    def reset(self) -> None:
        self._session.post(self._url("reset"), timeout=10).raise_for_status()

    def fault(self, op: str, kind: str, count: int = 1, **details: Any) -> None:
        body = {"op": op, "kind": kind, "count": count, **details}
        self._session.post(self._url("faults"), json=body, timeout=10).raise_for_status()

    def clear_faults(self) -> None:
        self._session.delete(self._url("faults"), timeout=10).raise_for_status()

    def advance_clock(self, seconds: float) -> None:
        self._session.post(self._url("clock"), json={"advance_seconds": seconds}, timeout=10).raise_for_status()

    def stats(self) -> dict[str, int]:
        return self._session.get(self._url("stats"), timeout=10).json()
