"""The project's jobs listing: what status cannot say (which pipelines exist, their frequency,
whether they sync, whether they run a bounded window), fetched when an operation needs it.

An operation that must be sure (create, the confirmation of a pipeline that status does not
know) lists afresh. A refresh reads its resources in one burst: the reads that need a listing
share one while reads keep coming (no gap over JOBS_IDLE_SECONDS), for at most
JOBS_MAX_AGE_SECONDS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from pulumi_mixpanel.core.errors import UnexpectedResponseError

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

JOBS_IDLE_SECONDS = 2.0
JOBS_MAX_AGE_SECONDS = 60.0


@dataclass
class JobsListing:
    """The project's jobs: pipeline name -> its entry (Dispatcher, frequency, sync_enabled...)."""

    entries: dict[str, dict[str, Any]]
    fetched: float
    last_used: float

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.entries)

    def serves(self, now: float) -> bool:
        return now - self.last_used <= JOBS_IDLE_SECONDS and now - self.fetched <= JOBS_MAX_AGE_SECONDS

    def reported_sync(self, names: list[str]) -> Optional[bool]:
        """`sync_enabled` as the listing reports it for these pipelines (None when it does not)."""
        for name in names:
            value = self.entries.get(name, {}).get("sync_enabled")
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
        return None

    def is_backfill(self, names: list[str]) -> bool:
        """Whether these pipelines export a bounded window (a `to_date`): Dispatcher `backfill`."""
        return any(str(self.entries.get(name, {}).get("Dispatcher", "")).lower() == "backfill" for name in names)


def entries_in_jobs(jobs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for listed in jobs.values():
        if not isinstance(listed, list):
            raise UnexpectedResponseError("the jobs listing is not a list per project", operation="jobs")
        for entry in listed:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries[entry["name"]] = entry
    return entries


class JobsListings:
    """Listings made now, or shared by a refresh burst. Thread-safe."""

    def __init__(self, client: Callable[[], MixpanelClient], monotonic: Callable[[], float]) -> None:
        self._client = client
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._cached: Optional[JobsListing] = None

    def fresh(self) -> JobsListing:
        """A listing made now, for this caller alone: concurrent callers do not wait on each other."""
        listing = self._list()
        with self._lock:
            self._cached = listing
        return listing

    def shared(self) -> JobsListing:
        """The refresh burst's listing; readers wait on the lock, so a burst makes one call."""
        with self._lock:
            now = self._monotonic()
            cached = self._cached
            if cached is not None and cached.serves(now):
                cached.last_used = now
                return cached
            self._cached = self._list()
            return self._cached

    def forget(self) -> None:
        """After this provider creates or cancels, the next read must list jobs afresh."""
        with self._lock:
            self._cached = None

    def _list(self) -> JobsListing:
        entries = entries_in_jobs(self._client().jobs())
        now = self._monotonic()
        return JobsListing(entries, fetched=now, last_used=now)


__all__ = ["JOBS_IDLE_SECONDS", "JOBS_MAX_AGE_SECONDS", "JobsListing", "JobsListings", "entries_in_jobs"]
