"""A copy's condition at the desk (condition.sql): damaged, repaired, and the copies set aside."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "condition.sql")


class SetAsideCopy(msgspec.Struct):
    barcode: str
    title: str
    call_number: str | None
    isbn13: str | None
    status: str
    reason: str | None
    seen_at: dt.datetime


mark_damaged = Q.value("mark_damaged", str)
"""Set a copy on the shelf (or hold shelf) aside as damaged, with the `reason`; None: its status changed."""
repaired = Q.execute("repaired")
damaged_copies = Q.all("damaged_copies", SetAsideCopy)
"""A library's copies with one of `statuses`, by title (at most 500)."""
