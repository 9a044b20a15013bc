"""The library's day: loans, due dates, receipts and statistics follow Asia/Jakarta (WIB) dates, whatever the
server's own time zone is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JAKARTA_TZ = "Asia/Jakarta"
JAKARTA = ZoneInfo(JAKARTA_TZ)


def now() -> dt.datetime:
    """The current time in Asia/Jakarta."""
    return dt.datetime.now(JAKARTA)


def today() -> dt.date:
    """Today's date in Asia/Jakarta."""
    return now().date()
