"""The desk's day book: what one library did on one Asia/Jakarta day (today's transactions, for every desk
of the library, not just this browser) and the day in figures. Read side only, from the event log."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from pustaka.sql import load
from services.circulation.clock import JAKARTA

Q = load(__file__, "daybook.sql")
MAX_ROWS = 1000


class DayTransaction(msgspec.Struct):
    at: dt.datetime
    action: str
    """`checked_out`, `checked_in`, `renewed`, `item_lost` or `item_found`."""
    item_barcode: str | None
    title: str | None
    call_number: str | None
    member_number: str | None
    member_name: str | None
    due_date: dt.date | None
    late_days: int | None
    actor: str


class DayTransactions(msgspec.Struct):
    library: str
    date: dt.date
    transactions: list[DayTransaction]


class DaySummary(msgspec.Struct):
    library: str
    date: dt.date
    loans: int
    returns: int
    renewals: int
    visits: int
    member_visits: int
    non_member_visits: int
    new_members: int
    reads_onsite: int
    activities: int
    activity_participants: int


def jakarta_day(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a Jakarta calendar day starts and ends (WIB has no daylight saving)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=JAKARTA)
    return start, start + dt.timedelta(days=1)


async def transactions(conn: asyncpg.Connection, library: str, day: dt.date) -> DayTransactions:
    """Loans, returns, renewals, lost and found of one library on one day, newest first."""
    start, end = jakarta_day(day)
    rows = await conn.fetch(Q.transactions, library, start, end, MAX_ROWS)
    return DayTransactions(library, day, [
        DayTransaction(r["at"].astimezone(JAKARTA), r["type"], r["barcode"], r["title"], r["call_number"],
                       r["member_number"], r["member_name"], r["due_date"], r["late_days"], r["actor"])
        for r in rows])


async def summary(conn: asyncpg.Connection, library: str, day: dt.date) -> DaySummary:
    """Loans, returns, renewals, visits, new members, reads and activities of one library on one day."""
    start, end = jakarta_day(day)
    r = await conn.fetchrow(Q.summary, library, start, end, day)
    return DaySummary(library, day, r["loans"], r["returns"], r["renewals"],
                      r["member_visits"] + r["non_member_visits"], r["member_visits"], r["non_member_visits"],
                      r["new_members"], r["reads_onsite"], r["activities"], r["activity_participants"])
