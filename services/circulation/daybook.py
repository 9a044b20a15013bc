"""The desk's day book: what one library did on one Asia/Jakarta day (today's transactions, for every desk
of the library, not just this browser) and the day in figures. Read side only, from the event log.

`day_transactions` and `day_summary` are the use cases (authorised, the day from the service's clock by default,
one read-only transaction); `transactions` and `summary` are their reads on a connection."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from kernel.clock import JAKARTA
from pustaka.access import Action, Staff, authorise
from services.circulation.queries import daybook as q
from services.circulation.service import Circulation

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
    rows = await q.transactions(conn, library=library, start=start, end=end, max_rows=MAX_ROWS)
    return DayTransactions(
        library,
        day,
        [
            DayTransaction(
                r.at.astimezone(JAKARTA),
                r.type,
                r.barcode,
                r.title,
                r.call_number,
                r.member_number,
                r.member_name,
                r.due_date,
                r.late_days,
                r.actor,
            )
            for r in rows
        ],
    )


async def summary(conn: asyncpg.Connection, library: str, day: dt.date) -> DaySummary:
    """Loans, returns, renewals, visits, new members, reads and activities of one library on one day."""
    start, end = jakarta_day(day)
    r = await q.summary(conn, library=library, start=start, end=end, day=day)
    assert r is not None  # an aggregate: always one row
    return DaySummary(
        library,
        day,
        r.loans,
        r.returns,
        r.renewals,
        r.member_visits + r.non_member_visits,
        r.member_visits,
        r.non_member_visits,
        r.new_members,
        r.reads_onsite,
        r.activities,
        r.activity_participants,
    )


async def day_transactions(
    circulation: Circulation, staff: Staff, library: str, day: dt.date | None = None
) -> DayTransactions:
    """A library's desk work on one day (today by default). Members' names are in it: the library's own desk
    (or an admin) only."""
    authorise(staff, Action.CIRCULATE, library)
    on = day or circulation.clock.today()
    return await circulation.read(lambda conn: transactions(conn, library, on))


async def day_summary(circulation: Circulation, staff: Staff, library: str, day: dt.date | None = None) -> DaySummary:
    """A library's day (today by default) in figures."""
    authorise(staff, Action.CIRCULATE, library)
    on = day or circulation.clock.today()
    return await circulation.read(lambda conn: summary(conn, library, on))
