"""The circulation read side: plain SQL turned into answer Structs (a member's loans, overdue lists,
hold queues, a copy at the desk)."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from pustaka.errors import NotFound
from pustaka.sql import load
from services.circulation.holds import Hold

Q = load(__file__, "views.sql")
HISTORY_LIMIT = 500


class LoanView(msgspec.Struct):
    loan_id: int
    item_barcode: str
    title: str
    call_number: str
    member_number: str
    library: str
    loaned_at: dt.datetime
    due_date: dt.date
    renewals: int
    status: str
    closed_at: dt.datetime | None
    closed_reason: str | None
    late_days: int | None
    fine: int


class OverdueLoan(msgspec.Struct):
    loan_id: int
    item_barcode: str
    title: str
    call_number: str
    due_date: dt.date
    days_overdue: int
    member_number: str
    name: str | None
    """None for a member of another library: their details stay with their own library."""
    contact: str | None


class CopyView(msgspec.Struct):
    barcode: str
    library: str
    title: str
    call_number: str
    isbn13: str | None
    status: str
    catalog_status: str
    seen_at: dt.datetime
    loan_id: int | None
    due_date: dt.date | None
    hold_id: int | None
    pickup_by: dt.date | None


async def member_row(conn: asyncpg.Connection, number: str) -> asyncpg.Record:
    """The member with this number, or a 404 `member_not_found`."""
    row = await conn.fetchrow(Q.member_by_number, number)
    if row is None:
        raise NotFound("member_not_found", f"no member has number {number}", field="member_number")
    return row


def _loan(r: asyncpg.Record) -> LoanView:
    return LoanView(
        r["id"],
        r["barcode"],
        r["title"],
        r["call_number"],
        r["member_number"],
        r["library_code"],
        r["loaned_at"],
        r["due_date"],
        r["renewals"],
        r["status"],
        r["closed_at"],
        r["closed_reason"],
        r["late_days"],
        r["fine"],
    )


async def loan(conn: asyncpg.Connection, loan_id: int) -> LoanView:
    """One loan by id, or a 404 `loan_not_found`."""
    rows = await conn.fetch(Q.loans, loan_id, None, None, 1)
    if not rows:
        raise NotFound("loan_not_found", f"no loan has id {loan_id}", field="loan_id")
    return _loan(rows[0])


async def member_loans(conn: asyncpg.Connection, member_id: int, status: str | None) -> list[LoanView]:
    """A member's loans, newest first: the open ones, the history (closed), or all."""
    return [_loan(r) for r in await conn.fetch(Q.loans, None, member_id, status, HISTORY_LIMIT)]


async def overdue(conn: asyncpg.Connection, library: str, today: dt.date) -> list[OverdueLoan]:
    """Open loans of a library past their due date, the longest overdue first."""
    return [
        OverdueLoan(
            r["id"],
            r["barcode"],
            r["title"],
            r["call_number"],
            r["due_date"],
            r["days_overdue"],
            r["member_number"],
            r["name"],
            r["contact"],
        )
        for r in await conn.fetch(Q.overdue, library, today)
    ]


async def holds(
    conn: asyncpg.Connection, library: str | None, status: str | None, member_id: int | None = None
) -> list[Hold]:
    """Holds by title in queue order (position 1 gets the next copy), of a library and/or a member."""
    return [
        Hold(
            r["id"],
            r["library_code"],
            r["isbn13"],
            r["title"],
            r["member_number"],
            r["status"],
            r["placed_at"],
            r["position"],
            r["barcode"],
            r["pickup_by"],
            r["name"],
        )
        for r in await conn.fetch(Q.holds_of_library, library, status, member_id)
    ]


async def copy(conn: asyncpg.Connection, barcode: str) -> CopyView:
    """A copy as circulation sees it: status, open loan, hold it waits for."""
    r = await conn.fetchrow(Q.copy_state, barcode)
    if r is None:
        raise NotFound("item_not_found", f"copy {barcode} has not been seen at the desk", field="barcode")
    return CopyView(
        r["barcode"],
        r["library_code"],
        r["title"],
        r["call_number"],
        r["isbn13"],
        r["status"],
        r["catalog_status"],
        r["seen_at"],
        r["loan_id"],
        r["due_date"],
        r["hold_id"],
        r["pickup_by"],
    )
