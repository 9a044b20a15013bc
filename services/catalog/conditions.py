"""Withdrawal (weeding) and damage, recorded in the catalogue with a reason. Circulation learns it from the
copy-change feed, search from the outbox; a copy on loan cannot be withdrawn or marked damaged here (it is
taken back at the desk first)."""

from __future__ import annotations

import json
from typing import Annotated

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.domain.labels import is_valid_barcode
from services.catalog.queries import care
from services.catalog.queries import catalogue as q
from services.catalog.service import Catalogue


class Reason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


async def set_condition(
    catalogue: Catalogue, staff: Staff, barcode: str, status: str, why: Reason, once: Once | None = None
) -> views.Item:
    """Withdraw a copy (`withdrawn`) or mark it `damaged`, with the reason; the item as it now is."""
    return await catalogue.write(lambda conn: _set_condition(conn, barcode, status, why.reason, staff), once)


async def _set_condition(conn: asyncpg.Connection, barcode: str, status: str, reason: str, staff: Staff) -> views.Item:
    code = barcode.strip()
    if not is_valid_barcode(code):
        raise Invalid("barcode_invalid", f"'{barcode}' is not a valid barcode", field="barcode")
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid("reason_required", "say why (rusak, hilang halaman, usang, …)", field="reason")
    row = await care.item_for_update(conn, barcode=code)
    if row is None:
        raise NotFound("item_not_found", f"no copy has barcode {code}", field="barcode")
    authorise(staff, Action.CATALOGUE, row.library_code)
    if row.status == "on_loan":
        raise Conflict(
            "item_on_loan",
            f"copy {code} is on loan: take it back at the desk first",
            field="barcode",
            extra={"item_status": "on_loan"},
        )
    if row.status == status:
        raise Conflict(
            f"item_already_{status}", f"copy {code} is already {status}", field="barcode", extra={"item_status": status}
        )
    if row.status == "withdrawn":
        raise Conflict(
            "item_withdrawn", f"copy {code} has been withdrawn", field="barcode", extra={"item_status": "withdrawn"}
        )
    if await care.set_condition(conn, barcode=code, status=status, reason=reason, status_before=row.status) is None:
        raise Conflict("item_changed", f"copy {code} changed meanwhile; try again", field="barcode")
    await q.enqueue_search(conn, library=row.library_code, title_ids=[row.title_id])
    await care.record_copy_change(conn, title_id=row.title_id, barcode=code)
    await q.audit(
        conn,
        actor=staff.username,
        action=f"item.{status}",
        library=row.library_code,
        target=f"item:{code}",
        detail=json.dumps({"from": row.status, "reason": reason}),
    )
    return await views.item(conn, code)
