"""The emulator's notion of "now", and the time formats Mixpanel's answers use.

The clock is the injected (or real) clock plus an offset that the admin API can advance, so
tests move simulated time forward without sleeping. US/Pacific comes from the tz database
(`America/Los_Angeles`); the `tzdata` package supplies it where the system has none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
PACIFIC = ZoneInfo("America/Los_Angeles")  # what Mixpanel's answers call US/Pacific


def real_utc_now() -> datetime:
    return datetime.now(UTC)


class SimulatedClock:
    def __init__(self, base: Callable[[], datetime] | None = None, offset_seconds: float = 0.0):
        self._base = base or real_utc_now
        self._offset_seconds = float(offset_seconds)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        current = self._base()
        if current.tzinfo is None:
            raise ValueError("the emulator's clock must return an aware datetime")
        return current.astimezone(UTC) + timedelta(seconds=self.offset_seconds)

    def today(self) -> date:
        return self.now().date()

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset_seconds

    def set_offset(self, seconds: float) -> None:
        with self._lock:
            self._offset_seconds = float(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset_seconds += float(seconds)


# --- US/Pacific -------------------------------------------------------------------------


def to_pacific(moment: datetime) -> datetime:
    """The same instant in US/Pacific, with that instant's offset and abbreviation (PST/PDT)."""
    return moment.astimezone(PACIFIC)


def format_jobs_time(moment: datetime) -> str:
    """`2019-02-01 12:00:00 US/Pacific`, as the jobs endpoint shows `last_dispatched`."""
    return to_pacific(moment).strftime("%Y-%m-%d %H:%M:%S") + " US/Pacific"


def format_sync_time(moment: datetime) -> str:
    """`2019-08-19 14:27:46.044605 -0700 PDT`, Go's default time format, as timeline shows it."""
    local = to_pacific(moment)
    return local.strftime("%Y-%m-%d %H:%M:%S.%f %z ") + (local.tzname() or "")


def format_task_time(moment: datetime) -> str:
    """RFC 3339 in UTC (the emulator's project timezone), e.g. `2024-06-01T00:00:00+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
