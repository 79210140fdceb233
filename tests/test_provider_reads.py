"""A refresh shares one jobs listing across its burst of reads (injectable clock)."""

from __future__ import annotations

import datetime as dt

from pulumi_mixpanel.provider import JOBS_IDLE_SECONDS, JOBS_MAX_AGE_SECONDS, MixpanelProvider
from pulumi_mixpanel.settings import ProviderSettings


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def provider_for(emulator, clock):
    settings = ProviderSettings.from_sources({"mixpanel:endpoint": emulator.base_url,
                                              "mixpanel:apiSecret": "emulator-api-secret"}, {})
    return MixpanelProvider().configure_from(
        settings, clock=lambda: dt.datetime.now(dt.timezone.utc), monotonic=clock, sleep=lambda _: None)


def created(provider, bucket, frequency="daily"):
    inputs = {"type": "gcs-raw", "gcs_bucket": bucket, "gcs_region": "us-central1", "frequency": frequency,
              "from_date": (dt.date.today() - dt.timedelta(days=3)).isoformat()}
    result = provider.create(provider.check({}, inputs).inputs)
    return result.id, result.outs


def test_reads_in_one_burst_share_one_listing(emulator, admin):
    clock = FakeClock()
    provider = provider_for(emulator, clock)
    resources = [created(provider, "a"), created(provider, "b", "hourly")]
    admin.clear_requests()
    for _ in range(10):  # a long refresh: reads keep coming, each within the idle gap
        for id_, outs in resources:
            assert provider.read(id_, outs).id == id_
        clock.now += JOBS_IDLE_SECONDS * 0.9
    assert len(admin.requests("jobs")) == 1
    assert len(admin.requests("status")) == 20


def test_a_pause_in_reads_or_a_long_burst_lists_again(emulator, admin):
    clock = FakeClock()
    provider = provider_for(emulator, clock)
    id_, outs = created(provider, "a")
    admin.clear_requests()
    provider.read(id_, outs)
    clock.now += JOBS_IDLE_SECONDS + 0.1
    provider.read(id_, outs)
    assert len(admin.requests("jobs")) == 2
    while clock.now < 1000 + JOBS_MAX_AGE_SECONDS + JOBS_IDLE_SECONDS * 2:
        provider.read(id_, outs)
        clock.now += JOBS_IDLE_SECONDS * 0.5
    assert len(admin.requests("jobs")) == 3


def test_the_providers_own_changes_are_seen_by_the_next_read(emulator, admin):
    clock = FakeClock()
    provider = provider_for(emulator, clock)
    id_, outs = created(provider, "a")
    provider.read(id_, outs)
    provider.delete(id_, outs)
    assert provider.read(id_, outs).id == ""  # not served from the listing taken before delete
