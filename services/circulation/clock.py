"""The library's day: loans, due dates and statistics follow Asia/Jakarta (WIB) dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.circulation.domain.policy import JAKARTA_TZ

JAKARTA = ZoneInfo(JAKARTA_TZ)


def today() -> dt.date:
    """Today's date in Asia/Jakarta."""
    return dt.datetime.now(JAKARTA).date()
