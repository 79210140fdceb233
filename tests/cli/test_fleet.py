"""examples/fleet: three emulated Mixpanel projects kept by one command, one stack each, run in
parallel on a local backend; a project whose exports fail shows as failing in the summary."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import yaml

from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.pulumi_cli import PASSPHRASE, REPO

FLEET = REPO / "examples" / "fleet" / "fleet.py"
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()


@pytest.fixture
def three_projects():
    with (
        EmulatorServer(port=0, project_id=11, relax_limits=True) as first,
        EmulatorServer(port=0, project_id=12, relax_limits=True) as second,
        EmulatorServer(port=0, project_id=13, relax_limits=True) as third,
    ):
        yield [first, second, third]


def inventory(servers) -> dict:
    projects = []
    for index, server in enumerate(servers):
        projects.append(
            {
                "name": f"team-{index + 1}",
                "projectId": str(11 + index),
                "endpoint": server.base_url,
                "serviceAccountUsername": "emulator",
                "serviceAccountSecretEnv": "FLEET_TEST_SECRET",
                "pipelines": {
                    "raw-events": {
                        "class": "GcsRawPipelineArgs",
                        "args": {
                            "gcs_bucket": f"team-{index + 1}-raw",
                            "gcs_region": "us-central1",
                            "from_date": FROM_DATE,
                        },
                    }
                },
            }
        )
    return {"projects": projects}


def fleet(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MIXPANEL_", "PULUMI_"))},
        "FLEET_TEST_SECRET": "emulator-secret",
        **variables,
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    return subprocess.run(
        [sys.executable, str(FLEET), *args, "--inventory", str(tmp_path / "inventory.yaml"),
         "--backend", f"file://{tmp_path / 'state'}", "--parallel", "3", "--work-dir", str(tmp_path / "work")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def rows(output: str) -> dict[str, list[str]]:
    """The summary table: project -> its other cells (split on runs of two spaces)."""
    lines = output.strip().split("\n\n")[0].splitlines()
    table = {}
    for line in lines[1:]:
        cells = [cell for cell in line.split("  ") if cell.strip()]
        table[cells[0].strip()] = [cell.strip() for cell in cells[1:]]
    return table


def test_the_fleet_keeps_three_projects_and_reports_the_one_failing(tmp_path, three_projects):
    (tmp_path / "inventory.yaml").write_text(yaml.safe_dump(inventory(three_projects)))
    admins = [EmulatorAdmin(server.base_url) for server in three_projects]

    preview = fleet(tmp_path, "preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert all(admin.requests() == [] for admin in admins)

    first = fleet(tmp_path, "up")
    assert first.returncode == 0, first.stdout + first.stderr
    assert rows(first.stdout) == {f"team-{n}": ["ok", "create 2", "starting 1"] for n in (1, 2, 3)}
    assert [len(admin.pipelines()) for admin in admins] == [1, 1, 1]

    # Team 3's bucket permission is revoked: its exports fail from now on.
    admins[2].set_task_outcome("events-daily-gcs-raw", "failed")
    admins[2].advance_clock(3 * 86400)
    for admin in admins[:2]:
        admin.advance_clock(3 * 86400)
    for operation in ("refresh", "up"):
        run = fleet(tmp_path, operation)
        assert run.returncode == 0, run.stdout + run.stderr
        table = rows(run.stdout)
        assert table["team-3"] == ["ok", "no changes", "failing 1"], run.stdout
        assert table["team-1"] == table["team-2"] == ["ok", "no changes", "exporting 1"], run.stdout
    # The refresh's warning is in team 3's log, as the CLI printed it.
    log = (tmp_path / "work" / "team-3.log").read_text()
    assert "warning: Mixpanel pipeline events-daily-gcs-raw: " in log
    assert "team-1" not in log and "Mixpanel pipeline" not in (tmp_path / "work" / "team-1.log").read_text()

    destroyed = fleet(tmp_path, "destroy")
    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    assert all(admin.pipelines() == [] for admin in admins)


def test_a_project_that_fails_is_reported_with_its_reason_and_the_others_carry_on(tmp_path, three_projects):
    listed = inventory(three_projects)
    listed["projects"][1]["serviceAccountSecretEnv"] = "FLEET_TEST_WRONG_SECRET"
    (tmp_path / "inventory.yaml").write_text(yaml.safe_dump(listed))
    run = fleet(tmp_path, "up", FLEET_TEST_WRONG_SECRET="not-the-secret")
    assert run.returncode == 1, run.stdout + run.stderr
    table = rows(run.stdout)
    assert table["team-2"] == ["failed", "-", "-"], run.stdout
    assert table["team-1"] == table["team-3"] == ["ok", "create 2", "starting 1"], run.stdout
    reason = run.stdout.strip().split("\n\n")[1]
    assert reason.startswith("team-2: pulumi_mixpanel.core.errors.UnauthenticatedError: "), reason
    assert "(HTTP 401)" in reason and "(log: work/team-2.log)" in reason
    assert "not-the-secret" not in run.stdout + run.stderr + (tmp_path / "work" / "team-2.log").read_text()
    assert [len(EmulatorAdmin(server.base_url).pipelines()) for server in three_projects] == [1, 0, 1]
