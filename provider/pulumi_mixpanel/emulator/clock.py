"""The emulator's notion of "now", and the time formats Mixpanel's answers use.

The clock is the injected (or real) clock plus an offset that the admin API can advance, so
tests move simulated time forward without sleeping. US/Pacific is computed from the US
daylight-saving rule instead of the tz database, so the output does not depend on whether
tzdata is installed on the machine.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from typing import Callable

UTC = timezone.utc


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

def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + timedelta(weeks=n - 1)


def _is_pacific_daylight_time(moment: datetime) -> bool:
    # Since 2007: PDT from the second Sunday of March, 02:00 PST (10:00 UTC),
    # to the first Sunday of November, 02:00 PDT (09:00 UTC).
    utc = moment.astimezone(UTC)
    begins = datetime.combine(_nth_sunday(utc.year, 3, 2), datetime.min.time(), UTC) + timedelta(hours=10)
    ends = datetime.combine(_nth_sunday(utc.year, 11, 1), datetime.min.time(), UTC) + timedelta(hours=9)
    return begins <= utc < ends


def to_pacific(moment: datetime) -> datetime:
    """The same instant as an aware datetime with the US/Pacific offset of that instant."""
    if _is_pacific_daylight_time(moment):
        zone = timezone(timedelta(hours=-7), "PDT")
    else:
        zone = timezone(timedelta(hours=-8), "PST")
    return moment.astimezone(zone)


def format_jobs_time(moment: datetime) -> str:
    """`2019-02-01 12:00:00 US/Pacific`, as the jobs endpoint shows `last_dispatched`."""
    return to_pacific(moment).strftime("%Y-%m-%d %H:%M:%S") + " US/Pacific"


def format_sync_time(moment: datetime) -> str:
    """`2019-08-19 14:27:46.044605 -0700 PDT`, Go's default time format, as timeline shows it."""
    local = to_pacific(moment)
    return local.strftime("%Y-%m-%d %H:%M:%S.%f %z ") + local.tzname()


def format_task_time(moment: datetime) -> str:
    """RFC 3339 in UTC (the emulator's project timezone), e.g. `2024-06-01T00:00:00+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
