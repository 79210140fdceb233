"""Fixtures shared by the suites: each test gets its own emulator on a free port."""

from __future__ import annotations

import pytest

from support.emulator_admin import EmulatorAdmin

SERVICE_ACCOUNT = ("emulator", "emulator-secret")
PROJECT_ID = 1
API_SECRET = "emulator-api-secret"


@pytest.fixture
def emulator():
    from pulumi_mixpanel.emulator import EmulatorServer

    with EmulatorServer(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def admin(emulator) -> EmulatorAdmin:
    return EmulatorAdmin(emulator.base_url)
