"""HTTP handlers of the desk's day book: today's transactions of the whole library and the day's summary.
Members' names are in it, so only the library's own desk (or an admin) may read it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
from litestar import get
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.web import authorise
from services.circulation import clock, daybook
from services.circulation.wire import PREFIX

Day = Annotated[dt.date | None, Parameter(query="date", description="a Jakarta date; today when left out")]


@get(f"{PREFIX}/libraries/{{code:str}}/transactions")
async def day_transactions(pool: asyncpg.Pool, staff: Staff, code: str, day: Day = None) -> daybook.DayTransactions:
    """Loans, returns, renewals, lost and found recorded in a library on one day, newest first."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await daybook.transactions(conn, code, day or clock.today())


@get(f"{PREFIX}/libraries/{{code:str}}/day-summary")
async def day_summary(pool: asyncpg.Pool, staff: Staff, code: str, day: Day = None) -> daybook.DaySummary:
    """One day of a library in figures: loans, returns, renewals, visits, new members, reads, activities."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await daybook.summary(conn, code, day or clock.today())


HANDLERS = [day_transactions, day_summary]
