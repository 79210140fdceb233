"""A thin client for the emulator's /_emulator/ admin API."""

from __future__ import annotations

import time
from datetime import datetime, timezone
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

    def wait_for_requests(self, op: str, count: int, timeout: float = 10.0) -> int:
        """How many `op` requests the emulator logged, once at least `count` are (or `timeout` passed)."""
        deadline = time.monotonic() + timeout
        while len(logged := self.requests(op)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(logged)

    def status_summary(self, name: str) -> dict[str, int]:
        """What Mixpanel's status endpoint says of one pipeline (asked as the classic page shows)."""
        answer = self._session.post(
            f"{self.base_url}/api/2.0/nessie/pipeline/status",
            auth=("emulator-api-secret", ""),
            data={"name": name, "summary": "true"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def set_task_outcome(self, name: str, outcome: str) -> dict[str, Any]:
        """Make `name`'s tasks that start from now on (emulator time) end `outcome` (succeeded,
        failed or timed_out); answers the pipeline's admin view, outcome history included."""
        answer = self._session.post(self._url(f"pipelines/{name}/outcome"), json={"outcome": outcome}, timeout=10)
        answer.raise_for_status()
        return answer.json()

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


def create_outside_pulumi(
    base_url: str, values: dict[str, Any], credentials: Optional[tuple[str, str, str]] = None, today: Any = None
) -> list[str]:
    """Create pipelines as a user with curl would (the fields Mixpanel documents); the emulator's
    default API secret, or `credentials` = (service account, its secret, project id)."""
    from pulumi_mixpanel.core.client import MixpanelClient
    from pulumi_mixpanel.core.credentials import ProjectSecret, ServiceAccount
    from pulumi_mixpanel.core.models import validate_pipeline

    today = today or datetime.now(timezone.utc).date()
    model, problems = validate_pipeline(values, today=today)
    assert model is not None, problems
    auth = ServiceAccount(*credentials) if credentials else ProjectSecret("emulator-api-secret")
    client = MixpanelClient(auth, endpoint=base_url)
    try:
        return client.create(model.request_fields(today=today))["pipeline_names"]
    finally:
        client.close()


class EmulatorProcess:
    """`mixpanel-emulator` in a process of its own (as the real API is another machine), so that
    its work shares no GIL with whoever drives it; optionally with TLS and added latency."""

    def __init__(
        self,
        *,
        latency_ms: int = 0,
        relax_limits: bool = True,
        tls_cert: Optional[str] = None,
        ca_bundle: Optional[str] = None,
        project_id: int = 1,
    ) -> None:
        import subprocess
        import sys

        command = [
            sys.executable,
            "-m",
            "pulumi_mixpanel.emulator",
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
            "--project-id",
            str(project_id),
        ]
        if relax_limits:
            command.append("--relax-limits")
        if tls_cert:
            command += ["--tls-cert", tls_cert]
        self.ca_bundle = ca_bundle
        self.project_id = project_id
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode().strip()  # type: ignore[union-attr]
        if not line.startswith("http"):
            self.process.kill()
            raise RuntimeError(f"the emulator did not print its base URL: {line!r}")
        self.base_url = line

    @property
    def pid(self) -> int:
        return self.process.pid

    def admin(self) -> EmulatorAdmin:
        admin = EmulatorAdmin(self.base_url, verify=self.ca_bundle or True)
        admin._session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the throwaway CA
        return admin

    def settings(self) -> dict[str, str]:
        """Provider settings for this project (the emulator's default service account)."""
        values = {
            "endpoint": self.base_url,
            "serviceAccountUsername": "emulator",
            "serviceAccountSecret": "emulator-secret",
            "projectId": str(self.project_id),
        }
        if self.ca_bundle:
            values["caBundle"] = self.ca_bundle
        return values

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
