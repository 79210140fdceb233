"""Bad inputs, through both front ends: each is named at check, all at once, and nothing is sent.

One table: the classes of bad input an adversarial user tried (docs/reliability.md, "Bad inputs
and settings", lists them with the outcome). For each, check fails naming exactly the expected
properties, with no traceback, and the emulator saw no request and holds no pipeline: a bad
input cannot leave an orphan. The settings' table is `test_lifecycle.py`'s
`test_a_setting_that_cannot_work_is_named_before_any_api_call`.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness import inputs as valid
from harness.emulator import EmulatorAdmin
from harness.servers import FRONT_ENDS, emulator_settings, start

CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "an impossible date and a missing Glue database, together": (
        valid.inputs("aws", from_date="2026-13-45", glue_database=None),
        ["from_date", "glue_database"],
    ),
    "an empty BigQuery share list": (valid.trial(bq_share_with_group=[]), ["bq_share_with_group"]),
    "a share that is not a string, without a secondary 'set gcp_project' failure": (
        valid.trial(bq_share_with_group=[5]),
        ["bq_share_with_group[0]"],
    ),
    "an empty Snowflake share list": (
        {"type": "snowflake", "trial": True, "snowflake_share_with": []},
        ["snowflake_share_with"],
    ),
    "a bad s3-raw region, reported once": (valid.inputs("s3-raw", s3_region="mars-1"), ["s3_region"]),
    "an empty event name": (valid.inputs("gcs-raw", events=["Signup", ""]), ["events[1]"]),
    "a where on a people pipeline": (
        valid.inputs("gcs-schema", data_source="people", where='properties["plan"] == "pro"'),
        ["where"],
    ),
    "parquet for a raw type": (valid.inputs("gcs-raw", data_format="parquet"), ["data_format"]),
    "a number for a bucket": (valid.inputs("gcs-raw", gcs_bucket=5), ["gcs_bucket"]),
    "a frequency with a to_date": (
        valid.inputs("gcs-raw", to_date=valid.today().isoformat(), frequency="hourly"),
        ["frequency"],
    ),
    "a from_date more than six months back": (valid.inputs("gcs-raw", from_date="2020-01-01"), ["from_date"]),
    "a from_date in the future": (valid.inputs("gcs-raw", from_date="2099-01-01"), ["from_date"]),
    "an unknown field": (valid.inputs("gcs-raw", gcs_bukket="typo"), ["gcs_bukket"]),
}


@pytest.fixture(scope="module", params=FRONT_ENDS)
def server(request):
    # One server per front end for the whole table; the emulator records what reached it.
    from pulumi_mixpanel.emulator import EmulatorServer

    with EmulatorServer(host="127.0.0.1", port=0) as emulator, start(request.param) as provider_server:
        assert provider_server.configure(emulator_settings(emulator.base_url)) == []
        yield provider_server, EmulatorAdmin(emulator.base_url)


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_input_is_named_at_check_and_nothing_is_sent(server, case):
    provider_server, admin = server
    admin.clear_requests()
    news, expected = CASES[case]
    _, failures = provider_server.check({}, news)
    assert sorted(p for p, _ in failures) == sorted(expected), failures
    assert all(reason and "Traceback" not in reason for _, reason in failures)
    assert admin.requests() == [] and admin.pipelines() == []
