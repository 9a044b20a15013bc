"""Item status over HTTP: circulation tells the catalogue when a copy goes out, comes back, is lost or
found, so that search shows what is on the shelf. Only an admin or a service token may call these."""

from __future__ import annotations

from typing import Annotated, Literal

import asyncpg
import msgspec
from litestar import Request, Response, get, post

from kernel.isbn import lookup_form
from kernel.wire import CATALOG_PREFIX
from pustaka.access import Staff
from pustaka.errors import Forbidden, Invalid, NotFound
from pustaka.sql import load
from pustaka.web import idempotent
from services.catalog import views

Q = load(__file__, "items.sql")
PREFIX = CATALOG_PREFIX
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
    if staff.role != "admin":
        raise Forbidden("forbidden", f"{staff.username} ({staff.role}) may not set item status; only an admin "
                        "or the circulation service may")


async def _apply(conn: asyncpg.Connection, actor: str, changes: list[BatchChange]) -> StatusReport:
    row = await conn.fetchrow(Q.set_statuses, [c.barcode for c in changes], [c.status for c in changes], actor)
    return StatusReport(row["updated"], list(row["unknown"]))


@post(f"{PREFIX}/items/{{barcode:str}}/status", status_code=200)
async def set_item_status(request: Request, pool: asyncpg.Pool, staff: Staff, barcode: str,
                          data: StatusChange) -> Response[views.Item]:
    """Set one copy's status (and queue its title for the search index)."""
    _admin_only(staff)

    async def run(conn: asyncpg.Connection) -> tuple[int, views.Item]:
        report = await _apply(conn, staff.username, [BatchChange(barcode, data.status)])
        if report.unknown:
            raise NotFound("item_not_found", f"no copy has barcode {barcode}", field="barcode")
        return 200, await views.item(conn, barcode)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


@post(f"{PREFIX}/items/statuses", status_code=200)
async def set_item_statuses(request: Request, pool: asyncpg.Pool, staff: Staff,
                            data: StatusBatch) -> Response[StatusReport]:
    """Set many copies' statuses in one transaction; the last change of a barcode in the batch wins."""
    _admin_only(staff)

    async def run(conn: asyncpg.Connection) -> tuple[int, StatusReport]:
        return 200, await _apply(conn, staff.username, data.changes)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/titles/{{isbn:str}}/items")
async def title_copies(pool: asyncpg.Pool, code: str, isbn: str) -> TitleCopies:
    """A title (by any written ISBN or its local code) and this library's copies of it."""
    isbn13 = lookup_form(isbn)
    local = isbn.strip().upper() if isbn.strip().upper().startswith("LOK") else None
    if isbn13 is None and local is None:
        raise Invalid("isbn_invalid", f"'{isbn}' is not a valid ISBN-10 or ISBN-13", field="isbn")
    async with pool.acquire() as conn:
        rows = await conn.fetch(Q.title_copies, code, isbn13, local)
    if not rows:
        raise NotFound("title_not_held", f"library {code} holds no copy of {isbn}", field="isbn")
    first = rows[0]
    return TitleCopies(
        title_id=first["title_id"], isbn13=first["isbn13"], local_code=first["local_code"], title=first["title"],
        ddc=first["ddc"], category=first["category"], audience=first["audience"], language=first["language"],
        items=[CopyRef(r["barcode"], r["status"], r["call_number"]) for r in rows],
    )


HANDLERS = [set_item_status, set_item_statuses, title_copies]
