"""The benchmark's engine stand-in in Go (`pulumi-bench-engine`, built with the CLI): it drives a
small lifecycle through each front end with the same API calls as the Python driver, never a
time (the benchmark's own smoke test, tests/server/test_bench_smoke.py, uses the Python driver)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import engine, measure
from bench.run import CONCURRENCY, call_checks


@pytest.fixture(scope="module")
def go_engine() -> Path:
    found = shutil.which("pulumi-bench-engine")
    if found is None:
        pytest.fail("pulumi-bench-engine is built with the CLI: run the tests through ./scripts/test.sh")
    return Path(found)


@pytest.mark.parametrize("front_end, concurrency", CONCURRENCY.items())
def test_the_go_engine_makes_the_same_calls(bench_projects, go_engine, front_end, concurrency):
    measure.reset(bench_projects)
    result = measure.lifecycle(front_end, bench_projects, concurrency, go_engine=go_engine)
    failing = {name: check["observed"] for name, check in call_checks(result).items() if not check["met"]}
    assert not failing, failing
    assert [phase["phase"] for phase in result["phases"]] == list(measure.PHASES)
    assert result["api_calls"] == 5 * sum(len(project.pipelines) for project in bench_projects)


def test_a_failing_provider_call_stops_the_engine_with_its_reason(bench_projects, go_engine):
    measure.reset(bench_projects)
    values = bench_projects[0].pipelines[0]
    server = measure.start_server("plugin")
    try:
        assert server.configure(bench_projects[0].emulator.settings()) == []
        server.created(values)  # the pipeline exists already: the engine's create is refused
        driver = engine.GoEngine(go_engine, [(server, engine.declare(server, values, measure.edited(values)))], 1)
        try:
            with pytest.raises(RuntimeError, match=r"pulumi-bench-engine: error create: .*already has a pipeline"):
                driver.run("create")
        finally:
            driver.close()
    finally:
        server.close()
