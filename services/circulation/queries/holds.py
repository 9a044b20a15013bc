"""Holds' queries (holds.sql): the queue for a title at a library."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load
from services.circulation.queries.copies import CopyFacts

Q = load(__file__, "holds.sql")


class HoldingMember(msgspec.Struct):
    """The member placing a hold (locked)."""

    id: int
    member_number: str
    name: str
    library_code: str
    birth_year: int
    gender: str
    disability: bool
    status: str
    expires_on: dt.date


class Placed(msgspec.Struct):
    id: int
    placed_at: dt.datetime


class HoldRow(msgspec.Struct):
    """A hold with its title snapshot and its member."""

    id: int
    library_code: str
    isbn13: str
    title_id: int | None
    title: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    member_id: int
    status: str
    placed_at: dt.datetime
    barcode: str | None
    pickup_by: dt.date | None
    member_number: str
    name: str
    birth_year: int
    gender: str
    disability: bool
    member_library: str


class DuePickup(msgspec.Struct):
    id: int
    barcode: str


member_for_hold = Q.one("member_for_hold", HoldingMember)
copies_of_title_for_update = Q.all("copies_of_title_for_update", CopyFacts)
title_on_loan_to = Q.value("title_on_loan_to", bool)
"""Whether the member has a copy of the title on loan from the library."""
insert_hold = Q.one("insert_hold", Placed)
queue_position = Q.value("queue_position", int)
hold = Q.one("hold", HoldRow)
hold_for_update = Q.one("hold_for_update", HoldRow)
close_hold = Q.value("close_hold", int)
"""Close an open hold with `status`; None: another transaction closed it first."""
expired_pickups = Q.all("expired_pickups", DuePickup)
"""Holds whose copy waited on the hold shelf past its pickup day (`pickup_by < today`)."""
