"""The library's day: loans, due dates, receipts and statistics follow Asia/Jakarta (WIB) dates, whatever the
server's own time zone is.

Use cases read the time from a `Clock` they are given (the app's `state.clock`, the CLI's), never from the
system directly, so a test can fix the date and a simulation can run on its own days."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

JAKARTA_TZ = "Asia/Jakarta"
JAKARTA = ZoneInfo(JAKARTA_TZ)


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class JakartaClock:
    """The real time, in Asia/Jakarta."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(JAKARTA)

    def today(self) -> dt.date:
        return self.now().date()


class FixedClock:
    """A clock that follows the real time until it is set to a moment, then stays there until moved or
    released: what tests and the demo simulation use."""

    def __init__(self, at: dt.datetime | None = None) -> None:
        self._at = at

    def set(self, at: dt.datetime | dt.date | None) -> None:
        """Stop the clock at `at` (a date means 10:00 in Jakarta on that day); None lets it run again."""
        if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time(10, 0), JAKARTA)
        if at is not None and at.tzinfo is None:
            raise ValueError("a fixed time needs its time zone")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at.astimezone(JAKARTA) if self._at is not None else dt.datetime.now(JAKARTA)

    def today(self) -> dt.date:
        return self.now().date()


SYSTEM = JakartaClock()


def now() -> dt.datetime:
    """The current time in Asia/Jakarta (for code without a clock of its own: logs, file names)."""
    return SYSTEM.now()


def today() -> dt.date:
    """Today's date in Asia/Jakarta (for code without a clock of its own)."""
    return SYSTEM.today()
