"""A copy's condition at the desk: found damaged (with the librarian's reason), and repaired again, and the
list of copies set aside. One use case, one unit of work each; the catalogue hears of the change through the
outbox, the event log and the audit log through the journal. Withdrawal belongs to the catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid
from pustaka.unit_of_work import Once
from services.circulation import journal
from services.circulation.holds import HoldWaiting, offer_copy, title_facts
from services.circulation.journal import Change
from services.circulation.queries import condition as q
from services.circulation.queries import shelf
from services.circulation.queries.condition import SetAsideCopy
from services.circulation.queries.shelf import ShelfCopy
from services.circulation.service import Circulation

SET_ASIDE = ["lost", "damaged"]


class Damage(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=500,
            pattern=r"\S",
            description="what is wrong, e.g. 'sampul sobek, halaman 12-20 hilang'",
        ),
    ]


class CopyCondition(msgspec.Struct):
    item_barcode: str
    status: str
    title: str
    reason: str | None = None
    hold_waiting: HoldWaiting | None = None


async def _locked(conn: asyncpg.Connection, staff: Staff, barcode: str) -> ShelfCopy:
    row = await shelf.copy_for_update(conn, barcode=barcode)
    if row is None:
        raise Invalid("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    authorise(staff, Action.CIRCULATE, row.library_code)
    return row


async def mark_damaged(
    circulation: Circulation, staff: Staff, barcode: str, damage: Damage, once: Once | None = None
) -> CopyCondition:
    """Take a damaged copy out of circulation; a member waiting for it on the hold shelf waits again."""
    await circulation.replica.sight(barcode)
    reason = damage.reason.strip()
    return await circulation.write(lambda conn: _mark_damaged(conn, staff, barcode, reason), once)


async def _mark_damaged(conn: asyncpg.Connection, staff: Staff, barcode: str, reason: str) -> CopyCondition:
    row = await _locked(conn, staff, barcode)
    if row.status == "damaged":
        raise Conflict("item_already_damaged", f"copy {barcode} is already marked damaged", field="item_barcode")
    if row.status == "on_loan":
        raise Conflict(
            "item_on_loan",
            f"copy {barcode} is on loan: check it in first, then mark it damaged",
            field="item_barcode",
            extra={"item_status": "on_loan"},
        )
    untrapped = await shelf.untrap_hold(conn, barcode=barcode)
    if await q.mark_damaged(conn, barcode=barcode, reason=reason) is None:
        raise Conflict(
            "item_not_available",
            f"copy {barcode} is {row.status}, not on the shelf",
            field="item_barcode",
            extra={"item_status": row.status},
        )
    await journal.record(
        conn,
        Change(
            "item_damaged",
            staff.username,
            row.library_code,
            f"item:{barcode}",
            title=title_facts(row, barcode),
            detail={"reason": reason, "was": row.status, "hold_released": [r.id for r in untrapped]},
        ),
    )
    return CopyCondition(barcode, "damaged", row.title, reason)


async def mark_repaired(
    circulation: Circulation, staff: Staff, barcode: str, once: Once | None = None
) -> CopyCondition:
    """A damaged copy is mended: to the first member waiting for its title, or back on the shelf."""
    await circulation.replica.sight(barcode)
    today = circulation.clock.today()
    return await circulation.write(lambda conn: _mark_repaired(conn, staff, barcode, today), once)


async def _mark_repaired(conn: asyncpg.Connection, staff: Staff, barcode: str, today: dt.date) -> CopyCondition:
    row = await _locked(conn, staff, barcode)
    if row.status != "damaged":
        raise Conflict(
            "item_not_damaged",
            f"copy {barcode} is not marked damaged (it is {row.status})",
            field="item_barcode",
            extra={"item_status": row.status},
        )
    waiting = await offer_copy(conn, staff.username, row, today)
    await q.repaired(conn, barcode=barcode)
    await journal.record(
        conn,
        Change("item_repaired", staff.username, row.library_code, f"item:{barcode}", title=title_facts(row, barcode)),
    )
    return CopyCondition(barcode, "awaiting_pickup" if waiting else "available", row.title, None, waiting)


async def copies_set_aside(
    circulation: Circulation, staff: Staff, library: str, status: str | None = None
) -> list[SetAsideCopy]:
    """A library's copies marked lost or damaged (`status`: only those), as the desk last saw them."""
    authorise(staff, Action.CIRCULATE, library)
    found = await circulation.read(lambda conn: q.damaged_copies(conn, library=library, statuses=SET_ASIDE))
    return [c for c in found if status is None or c.status == status]
