"""The benchmark's CI smoke version: a small lifecycle through both front ends, and through the
plugin's floor (which must make the same calls to be a fair reference), checking the API calls
each operation makes (from the emulators' request logs), never a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import measure
from bench.run import CALL_RULES, TARGETS, call_checks

PIPELINES = 12


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    opened = measure.open_projects(PIPELINES, 0, Path(tmp_path_factory.mktemp("tls")))
    yield opened
    measure.close_projects(opened)


@pytest.mark.parametrize("front_end, concurrency", [("dynamic", 4), ("plugin", 16), ("floor", 16)])
def test_api_calls_per_operation(projects, front_end, concurrency):
    measure.reset(projects)
    result = measure.lifecycle(front_end, projects, concurrency)
    checks = call_checks(result)
    assert list(checks) == list(CALL_RULES)
    failing = {name: check["observed"] for name, check in checks.items() if not check["met"]}
    assert not failing, f"API calls per operation regressed: {failing}"
    phases = {phase["phase"]: phase["calls"] for phase in result["phases"]}
    assert phases["create"] == {"jobs": PIPELINES, "create": PIPELINES}
    assert phases["delete"] == {"cancel": PIPELINES}
    assert result["tls_handshakes"] >= 1 and result["peak_rss_kib"]


def test_the_serialized_provider_stays_small():
    size = measure.provider_size()
    assert size["base64_bytes"] <= TARGETS["serialized_provider_bytes"]
