"""50 pipelines created, read and deleted at once through the provider server's 4 threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import pulumi_mixpanel as pm
from pulumi_mixpanel.emulator import EmulatorServer
from support.emulator_admin import EmulatorAdmin
from support.lifecycle import RECENT, emulator_config, program_inputs
from support.provider_server import ProviderServer

PIPELINES = 50


@pytest.fixture
def relaxed():
    # Mixpanel allows 3 events pipelines a project; the emulator's flag lifts that for load.
    with EmulatorServer(port=0, relax_limits=True) as server:
        yield server, EmulatorAdmin(server.base_url)


def test_fifty_pipelines_at_once_nothing_lost_or_doubled(relaxed):
    emulator, admin = relaxed
    inputs = [program_inputs(pm.GcsRawPipelineArgs(gcs_bucket=f"acme-{i}", gcs_region="us-central1",
                                                   from_date=RECENT, paused=i % 5 == 0), f"p{i}")
              for i in range(PIPELINES)]
    with ProviderServer() as server, ThreadPoolExecutor(8) as pool:
        server.configure(emulator_config(emulator.base_url))
        checked = [c for c, _ in pool.map(lambda values: server.check({}, values), inputs)]
        created = list(pool.map(server.create, checked))
        ids = [id_ for id_, _ in created]
        assert len(set(ids)) == PIPELINES
        held = {p["name"]: p for p in admin.pipelines()}
        assert set(held) == set(ids)
        for (id_, outs), values in zip(created, checked):
            assert held[id_]["params"]["gcs_bucket"] == values["gcs_bucket"]
            assert held[id_]["paused"] is values["paused"]

        read = list(pool.map(lambda pair: server.read(*pair), created))
        assert [id_ for id_, _ in read] == ids

        list(pool.map(lambda pair: server.delete(*pair), read))
    assert admin.pipelines() == []
    creates = admin.requests("create")
    assert len(creates) == PIPELINES  # no create was sent twice
