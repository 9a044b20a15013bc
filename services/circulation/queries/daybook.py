"""The desk's day book, read from the event log and the day's records (daybook.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "daybook.sql")


class TransactionRow(msgspec.Struct):
    at: dt.datetime
    type: str
    barcode: str | None
    title: str | None
    call_number: str | None
    member_number: str | None
    member_name: str | None
    due_date: dt.date | None
    late_days: int | None
    actor: str


class SummaryRow(msgspec.Struct):
    loans: int
    returns: int
    renewals: int
    new_members: int
    member_visits: int
    non_member_visits: int
    reads_onsite: int
    activities: int
    activity_participants: int


transactions = Q.all("transactions", TransactionRow)
summary = Q.one("summary", SummaryRow)
