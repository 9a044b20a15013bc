"""Item status use cases: circulation tells the catalogue when a copy goes out, comes back, is lost or
found, so that search shows what is on the shelf; and a title's copies in one library, for the desk."""

from __future__ import annotations

from typing import Annotated, Literal

import asyncpg
import msgspec

from kernel.isbn import lookup_form
from pustaka.access import Staff
from pustaka.errors import Forbidden, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.queries import items as q
from services.catalog.service import Catalogue

ItemStatus = Literal["available", "on_loan", "lost", "damaged", "withdrawn"]
Barcode = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    status: ItemStatus


class BatchChange(msgspec.Struct, forbid_unknown_fields=True):
    barcode: Barcode
    status: ItemStatus


class StatusBatch(msgspec.Struct, forbid_unknown_fields=True):
    changes: Annotated[list[BatchChange], msgspec.Meta(max_length=1000)]


class StatusReport(msgspec.Struct):
    updated: int
    unknown: list[str]


class CopyRef(msgspec.Struct):
    barcode: str
    status: str
    call_number: str


class TitleCopies(msgspec.Struct):
    title_id: int
    isbn13: str | None
    local_code: str | None
    title: str
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    items: list[CopyRef]


def _admin_only(staff: Staff) -> None:
    """Item statuses follow circulation: only an admin or the circulation service's token sets them."""
    if staff.role != "admin":
        raise Forbidden(
            "forbidden",
            f"{staff.username} ({staff.role}) may not set item status; only an admin or the circulation service may",
        )


async def _apply(conn: asyncpg.Connection, actor: str, changes: list[BatchChange]) -> StatusReport:
    outcome = await q.set_statuses(
        conn, barcodes=[c.barcode for c in changes], statuses=[c.status for c in changes], actor=actor
    )
    assert outcome is not None  # an aggregate always has its row
    return StatusReport(outcome.updated, outcome.unknown)


async def set_status(
    catalogue: Catalogue, staff: Staff, barcode: str, change: StatusChange, once: Once | None = None
) -> views.Item:
    """Set one copy's status (and queue its title for the search index)."""
    _admin_only(staff)

    async def work(conn: asyncpg.Connection) -> views.Item:
        report = await _apply(conn, staff.username, [BatchChange(barcode, change.status)])
        if report.unknown:
            raise NotFound("item_not_found", f"no copy has barcode {barcode}", field="barcode")
        return await views.item(conn, barcode)

    return await catalogue.write(work, once)


async def set_statuses(
    catalogue: Catalogue, staff: Staff, batch: StatusBatch, once: Once | None = None
) -> StatusReport:
    """Set many copies' statuses in one transaction; the last change of a barcode in the batch wins."""
    _admin_only(staff)
    return await catalogue.write(lambda conn: _apply(conn, staff.username, batch.changes), once)


async def title_copies(catalogue: Catalogue, library: str, isbn: str) -> TitleCopies:
    """A title (by any written ISBN or its local code) and this library's copies of it."""
    isbn13 = lookup_form(isbn)
    local = isbn.strip().upper() if isbn.strip().upper().startswith("LOK") else None
    if isbn13 is None and local is None:
        raise Invalid("isbn_invalid", f"'{isbn}' is not a valid ISBN-10 or ISBN-13", field="isbn")
    rows = await catalogue.read(lambda conn: q.title_copies(conn, library=library, isbn13=isbn13, local_code=local))
    if not rows:
        raise NotFound("title_not_held", f"library {library} holds no copy of {isbn}", field="isbn")
    first = rows[0]
    return TitleCopies(
        title_id=first.title_id,
        isbn13=first.isbn13,
        local_code=first.local_code,
        title=first.title,
        ddc=first.ddc,
        category=first.category,
        audience=first.audience,
        language=first.language,
        items=[CopyRef(r.barcode, r.status, r.call_number) for r in rows],
    )
