"""The desk's read side (views.sql): each row is already the answer the desk shows."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "views.sql")


class MemberRow(msgspec.Struct):
    """A member as stored (personal data: only for the member's library's staff)."""

    id: int
    member_number: str
    library_code: str
    name: str
    birth_year: int
    gender: str
    disability: bool
    contact: str | None
    status: str
    suspended_reason: str | None
    registered_on: dt.date
    expires_on: dt.date


class ListedMember(MemberRow):
    total: int
    """How many members the whole search found (the rows are one page of them)."""


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


class HoldWaiting(msgspec.Struct):
    """For the librarian at check-in: put this copy aside for this member."""

    hold_id: int
    member_number: str
    name: str | None
    """None for a member of another library (lending across a kabupaten): their details stay there."""
    pickup_by: dt.date


class Hold(msgspec.Struct):
    hold_id: int
    library: str
    isbn13: str
    title: str
    member_number: str
    status: str
    placed_at: dt.datetime
    position: int | None = None
    """1 for the next member to get a copy; None once a copy waits (or the hold is closed)."""
    item_barcode: str | None = None
    pickup_by: dt.date | None = None
    member_name: str | None = None
    """Filled in the desk's lists (the library's holds), for the librarian to call the member."""


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


member_by_number = Q.one("member_by_number", MemberRow)
members_of_library = Q.all("members_of_library", ListedMember)
"""A page of a library's members by name; `search` is part of a name or a member number (None: all)."""
loans = Q.all("loans", LoanView)
"""Loans newest first, by `loan_id` and/or `member_id` and/or `status` (None: any)."""
overdue = Q.all("overdue", OverdueLoan)
holds = Q.all("holds_of_library", Hold)
"""Holds by title in queue order, of a `library` and/or a `member_id`, with a `status` (None: any)."""
copy_state = Q.one("copy_state", CopyView)
