"""A copy's way back to the shelf or the hold shelf (shelf.sql): one home for what lending, holds and a
copy's condition all do to a copy."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "shelf.sql")


class ShelfCopy(msgspec.Struct):
    """A copy, locked, with its title facts and the member a hold keeps it for."""

    barcode: str
    library_code: str
    title_id: int | None
    isbn13: str | None
    title: str
    call_number: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    status: str
    held_for: int | None


class NextHold(msgspec.Struct):
    """The first member in the queue for a title."""

    id: int
    member_id: int
    member_number: str
    name: str
    birth_year: int
    gender: str
    disability: bool
    member_library: str


class HoldId(msgspec.Struct):
    id: int


copy_for_update = Q.one("copy_for_update", ShelfCopy)
set_copy_status = Q.execute("set_copy_status")
"""Circulation's `status` of a copy, and the catalogue's `catalog_status` through the outbox."""
next_hold = Q.one("next_hold", NextHold)
"""The first open hold on a title at a library, locked (one another transaction is filling is skipped)."""
trap_hold = Q.execute("trap_hold")
"""Set a copy aside for a hold until `pickup_by`."""
untrap_hold = Q.all("untrap_hold", HoldId)
"""The hold a lost or damaged copy waited for goes back to waiting, at its place in the queue."""
