"""Fixtures for the emulator's black-box tests: real servers on free ports, real HTTP."""

from __future__ import annotations

import pytest

from pulumi_mixpanel.emulator import EmulatorServer

from .emulator_support import API_SECRET, PROJECT_ID, SERVICE_ACCOUNT, Api, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_emulator(clock):
    """Start emulators (stopped at teardown); defaults: test credentials, project 42, fake clock."""
    servers = []

    def start(**options) -> EmulatorServer:
        options.setdefault("service_account", SERVICE_ACCOUNT)
        options.setdefault("api_secret", API_SECRET)
        options.setdefault("project_id", PROJECT_ID)
        options.setdefault("clock", clock)
        options.setdefault("host", "127.0.0.1")
        server = EmulatorServer(port=0, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def emulator(make_emulator) -> EmulatorServer:
    return make_emulator()


@pytest.fixture
def api(emulator):
    client = Api(emulator.base_url)
    yield client
    client.close()


@pytest.fixture
def classic_api(emulator):
    """The classic project-secret auth: the secret as username, empty password, no project_id."""
    client = Api(emulator.base_url, auth=(API_SECRET, ""), project_id=None)
    yield client
    client.close()
