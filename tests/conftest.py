"""Shared fixtures, and the test tiers as markers (by folder): `pytest -m unit` runs in seconds.

- unit: tests/unit, tests/emulator (the core and the emulator, in seconds)
- programs: tests/programs (user programs: the examples under Pulumi's mocks with the cloud SDKs they
  import, and a type checker on a program written against the public API)
- server: tests/server (both provider servers over gRPC, as the engine drives them)
- cli: tests/cli (the real Pulumi CLI)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.emulator import EmulatorAdmin

# Containers often set PYTHONDONTWRITEBYTECODE: the suite keeps its (git-ignored) bytecode anyway,
# so that a second run does not compile and rewrite every test module again.
sys.dont_write_bytecode = False

TIER_BY_FOLDER = {"unit": "unit", "emulator": "unit", "programs": "programs", "server": "server", "cli": "cli"}
TESTS = Path(__file__).resolve().parent
_STATUS_BEFORE = pytest.StashKey["str | None"]()


def _checkout_status() -> str | None:
    """`git status` of the checkout the tests run in (None outside a git checkout)."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=TESTS.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STATUS_BEFORE] = _checkout_status()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite stays in its lane: it leaves the checkout's files as it found them."""
    before = session.config.stash.get(_STATUS_BEFORE, None)
    after = _checkout_status()
    if before is not None and after is not None and before != after:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        sys.stderr.write("\nthe test run changed the checkout (git status):\n  " + "\n  ".join(changed) + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture(scope="module")
def bench_projects(tmp_path_factory):
    """Emulated projects for the benchmark's smoke lifecycles: 12 pipelines, no added latency."""
    from bench import measure

    opened = measure.open_projects(12, 0, Path(tmp_path_factory.mktemp("tls")))
    yield opened
    measure.close_projects(opened)
