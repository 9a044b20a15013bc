"""HTTP handlers of the desk's day book: today's transactions of the whole library and the day's summary.
Members' names are in it, so only the library's own desk (or an admin) may read it (see `daybook.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import get
from litestar.params import Parameter

from pustaka.access import Staff
from services.circulation import daybook
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX

Day = Annotated[dt.date | None, Parameter(query="date", description="a Jakarta date; today when left out")]


@get(f"{PREFIX}/libraries/{{code:str}}/transactions")
async def day_transactions(
    circulation: Circulation, staff: Staff, code: str, day: Day = None
) -> daybook.DayTransactions:
    """Loans, returns, renewals, lost and found recorded in a library on one day, newest first."""
    return await daybook.day_transactions(circulation, staff, code, day)


@get(f"{PREFIX}/libraries/{{code:str}}/day-summary")
async def day_summary(circulation: Circulation, staff: Staff, code: str, day: Day = None) -> daybook.DaySummary:
    """One day of a library in figures: loans, returns, renewals, visits, new members, reads, activities."""
    return await daybook.day_summary(circulation, staff, code, day)


HANDLERS = [day_transactions, day_summary]
