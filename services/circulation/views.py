"""The circulation read side: a member, a member's loans, overdue lists, hold queues, a copy at the desk. The
queries and the answers they give are in `queries/views.py`."""

from __future__ import annotations

import datetime as dt

import asyncpg

from pustaka.errors import NotFound
from services.circulation.queries import views as q
from services.circulation.queries.views import (
    CopyView,
    Hold,
    HoldWaiting,
    ListedMember,
    LoanView,
    MemberRow,
    OverdueLoan,
)

__all__ = [
    "CopyView",
    "Hold",
    "HoldWaiting",
    "ListedMember",
    "LoanView",
    "MemberRow",
    "OverdueLoan",
    "member_row",
    "members",
    "loan",
    "member_loans",
    "overdue",
    "holds",
    "copy",
]

HISTORY_LIMIT = 500


async def member_row(conn: asyncpg.Connection, number: str) -> MemberRow:
    """The member with this number, or a 404 `member_not_found`."""
    row = await q.member_by_number(conn, member_number=number)
    if row is None:
        raise NotFound("member_not_found", f"no member has number {number}", field="member_number")
    return row


async def members(
    conn: asyncpg.Connection, library: str, search: str | None, limit: int, offset: int
) -> list[ListedMember]:
    """A page of a library's members by name (`search`: part of a name, or a member number)."""
    return await q.members_of_library(conn, library=library, search=search, limit=limit, offset=offset)


async def loan(conn: asyncpg.Connection, loan_id: int) -> LoanView:
    """One loan by id, or a 404 `loan_not_found`."""
    found = await q.loans(conn, loan_id=loan_id, member_id=None, status=None, limit=1)
    if not found:
        raise NotFound("loan_not_found", f"no loan has id {loan_id}", field="loan_id")
    return found[0]


async def member_loans(conn: asyncpg.Connection, member_id: int, status: str | None) -> list[LoanView]:
    """A member's loans, newest first: the open ones, the history (closed), or all."""
    return await q.loans(conn, loan_id=None, member_id=member_id, status=status, limit=HISTORY_LIMIT)


async def overdue(conn: asyncpg.Connection, library: str, today: dt.date) -> list[OverdueLoan]:
    """Open loans of a library past their due date, the longest overdue first."""
    return await q.overdue(conn, library=library, today=today)


async def holds(
    conn: asyncpg.Connection, library: str | None, status: str | None, member_id: int | None = None
) -> list[Hold]:
    """Holds by title in queue order (position 1 gets the next copy), of a library and/or a member."""
    return await q.holds(conn, library=library, status=status, member_id=member_id)


async def copy(conn: asyncpg.Connection, barcode: str) -> CopyView:
    """A copy as circulation sees it: status, open loan, hold it waits for."""
    found = await q.copy_state(conn, barcode=barcode)
    if found is None:
        raise NotFound("item_not_found", f"copy {barcode} has not been seen at the desk", field="barcode")
    return found
