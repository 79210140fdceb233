"""CI smoke version of the benchmark (bench/run.py): a few pipelines through the SDK's provider
server against a fresh emulator. It asserts counts, never times: the API calls each operation
makes (from the emulator's request log) and the size of the serialized provider."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import harness  # noqa: E402
from bench.pipelines import TYPES  # noqa: E402
from support.emulator_admin import EmulatorAdmin  # noqa: E402
from support.lifecycle import emulator_config  # noqa: E402

PIPELINES = 3  # s3-raw, gcs-raw, aws


@pytest.fixture(scope="module")
def relaxed_emulator():
    from pulumi_mixpanel.emulator import EmulatorServer

    with EmulatorServer(host="127.0.0.1", port=0, relax_limits=True) as server:
        yield server


@pytest.fixture(scope="module")
def lifecycle(relaxed_emulator):
    admin = EmulatorAdmin(relaxed_emulator.base_url)
    server = harness.start_server(emulator_config(relaxed_emulator.base_url))
    try:
        yield harness.run_lifecycle(server, admin, harness.program_inputs(PIPELINES))
    finally:
        server.close()


def test_api_calls_per_operation(lifecycle):
    assert len(lifecycle.pipeline_names) == PIPELINES
    checks = harness.calls_per_operation(lifecycle)
    assert [c.operation for c in checks] == ["check, diff", "create", "read", "update", "delete"]
    failing = [f"{c.operation}: expected {c.rule}, got {c.observed}" for c in checks if not c.met]
    assert not failing, "API calls per operation regressed:\n" + "\n".join(failing)


def test_exact_calls_of_the_smoke_lifecycle(lifecycle):
    # The same rules, spelled out for these 3 pipelines.
    assert lifecycle.phase("preview").requests == [] and lifecycle.phase("preview-edit").requests == []
    assert dict(lifecycle.phase("create").ops) == {"create": PIPELINES}
    read = lifecycle.phase("read")
    assert set(read.ops) <= {"status", "jobs"} and read.ops["jobs"] <= 1
    assert all(count <= 1 for count in read.per_name("status").values())
    assert dict(lifecycle.phase("update").per_name("edit")) == {name: 1 for name in lifecycle.pipeline_names}
    assert dict(lifecycle.phase("update").ops) == {"edit": PIPELINES}
    assert dict(lifecycle.phase("delete").per_name("cancel")) == {name: 1 for name in lifecycle.pipeline_names}
    assert dict(lifecycle.phase("delete").ops) == {"cancel": PIPELINES}


def test_serialized_provider_is_at_most_1_kib_for_every_input_class():
    sizes = {kind: harness.provider_size(inputs) for kind, inputs in zip(TYPES, harness.program_inputs(len(TYPES)))}
    assert len(sizes) == 8
    too_big = {kind: size.base64_bytes for kind, size in sizes.items() if size.base64_bytes > 1024}
    assert not too_big, f"__provider larger than 1 KiB: {too_big}"
