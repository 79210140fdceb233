"""The benchmark's CI smoke version: a small lifecycle through both front ends, and through the
plugin's floor (which must make the same calls to be a fair reference), checking the API calls
each operation makes (from the emulators' request logs), never a time."""

from __future__ import annotations

import pytest

from bench import measure
from bench.run import CALL_RULES, CONCURRENCY, TARGETS, call_checks


@pytest.mark.parametrize("front_end, concurrency", CONCURRENCY.items())
def test_api_calls_per_operation(bench_projects, front_end, concurrency):
    measure.reset(bench_projects)
    result = measure.lifecycle(front_end, bench_projects, concurrency)
    checks = call_checks(result)
    assert list(checks) == list(CALL_RULES)
    failing = {name: check["observed"] for name, check in checks.items() if not check["met"]}
    assert not failing, f"API calls per operation regressed: {failing}"
    phases = {phase["phase"]: phase["calls"] for phase in result["phases"]}
    pipelines = sum(len(project.pipelines) for project in bench_projects)
    assert phases["create"] == {"jobs": pipelines, "create": pipelines}
    assert phases["delete"] == {"cancel": pipelines}
    assert result["tls_handshakes"] >= 1 and result["peak_rss_kib"]


def test_the_serialized_provider_stays_small():
    size = measure.provider_size()
    assert size["base64_bytes"] <= TARGETS["serialized_provider_bytes"]
