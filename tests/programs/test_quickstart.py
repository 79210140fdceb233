"""The root quickstart program is stable from day to day: its inputs do not depend on the date."""

from __future__ import annotations

from freezegun import freeze_time

from harness.secrets import reveal
from tests.support.example_mocks import run_example
from tests.support.pulumi_cli import REPO

CONFIG = {"quickstart:fromDate": "2026-11-21"}


def registered_pipelines(day: str) -> dict:
    with freeze_time(day):
        run = run_example("quickstart", CONFIG, program=REPO / "__main__.py")
    return {
        name: {k: v for k, v in reveal(r.inputs).items() if k != "__provider"} for name, r in run.pipelines().items()
    }


def test_tomorrow_the_program_declares_exactly_what_it_declares_today():
    today = registered_pipelines("2026-11-28 10:00:00")
    assert set(today) == {"bigquery-trial", "aws-s3-glue", "azure-blob", "snowflake-people"}
    assert today["azure-blob"]["to_date"] == "2026-11-27"
    assert registered_pipelines("2026-11-29 10:00:00") == today
    assert registered_pipelines("2027-03-01 10:00:00") == today
