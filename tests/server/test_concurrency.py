"""Thirty pipelines created, read and deleted at once through each front end's server."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import inputs as valid
from harness.emulator import EmulatorAdmin
from harness.servers import FRONT_ENDS, emulator_settings, start
from pulumi_mixpanel.emulator import EmulatorServer


@pytest.fixture
def relaxed():
    # Mixpanel allows 3 events pipelines a project; the emulator's flag lifts that for load.
    with EmulatorServer(port=0, relax_limits=True) as server:
        yield server, EmulatorAdmin(server.base_url)


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_thirty_pipelines_at_once_nothing_lost_or_doubled(relaxed, front_end):
    emulator, admin = relaxed
    pipelines = [{**values, "paused": index % 5 == 0} for index, values in enumerate(valid.distinct(30))]
    with start(front_end) as server, ThreadPoolExecutor(8) as pool:
        server.configure(emulator_settings(emulator.base_url))
        checked = list(pool.map(server.checked, pipelines))
        created = list(pool.map(server.create, checked))
        ids = [id_ for id_, _ in created]
        assert len(set(ids)) == len(pipelines)
        held = {p["name"]: p for p in admin.pipelines()}
        assert set(held) == set(ids)
        for (id_, _), values in zip(created, checked, strict=True):
            assert held[id_]["type"] == values["type"]
            assert held[id_]["paused"] is values["paused"]

        read = list(pool.map(lambda pair: server.read(*pair), created))
        assert [id_ for id_, _ in read] == ids
        list(pool.map(lambda pair: server.delete(*pair), read))
    assert admin.pipelines() == []
    assert len(admin.requests("create")) == len(pipelines)  # no create was sent twice
