"""Shared fixtures, and the test tiers as markers (by folder): `pytest -m unit` runs in seconds.

- unit: tests/unit, tests/emulator, tests/examples (the core, the emulator, programs under mocks)
- server: tests/server (both provider servers over gRPC, as the engine drives them)
- cli: tests/cli (the real Pulumi CLI)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.emulator import EmulatorAdmin

TIER_BY_FOLDER = {"unit": "unit", "emulator": "unit", "examples": "unit", "server": "server", "cli": "cli"}
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.fspath)).resolve().relative_to(TESTS).parts[0]
        tier = TIER_BY_FOLDER.get(folder)
        if tier is None:
            raise pytest.UsageError(f"{item.nodeid}: every test lives in a tier folder ({', '.join(TIER_BY_FOLDER)})")
        item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture
def emulator():
    from pulumi_mixpanel.emulator import EmulatorServer

    with EmulatorServer(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def admin(emulator) -> EmulatorAdmin:
    return EmulatorAdmin(emulator.base_url)
