"""The copy-change feed circulation follows to keep its replica current: copies whose title facts or
condition the catalogue changed (edit, withdrawal, damage, written off after a stock-take), in order."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from services.catalog.queries import care as q
from services.catalog.service import Catalogue


class ChangedCopy(msgspec.Struct):
    barcode: str
    library: str
    status: str
    title: str
    call_number: str
    isbn13: str | None
    local_code: str | None
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    title_id: int


class CopyChanges(msgspec.Struct):
    upto: int
    """Read again with `after=upto`."""
    upto_at: dt.datetime | None
    after_at: dt.datetime | None
    """When change `after` was made: a reader that remembers another time (or none is found) reads from 0
    again, since the feed was reset (a restored or emptied database)."""
    last: int
    items: list[ChangedCopy]


async def copy_changes(catalogue: Catalogue, after: int, limit: int) -> CopyChanges:
    """Up to `limit` changes after change `after`, with the copies as they now are."""
    return await catalogue.read(lambda conn: _copy_changes(conn, after, limit))


async def _copy_changes(conn: asyncpg.Connection, after: int, limit: int) -> CopyChanges:
    page = await q.copy_changes_page(conn, after=after, limit=limit)
    head = await q.copy_change_at(conn, after=after)
    assert head is not None  # a row of two sub-selects
    if not page:
        return CopyChanges(after, head.after_at, head.after_at, head.last, [])
    titles = [r.title_id for r in page if r.barcode is None]
    barcodes = [r.barcode for r in page if r.barcode is not None]
    rows = await q.changed_copies(conn, title_ids=titles, barcodes=barcodes)
    return CopyChanges(
        page[-1].id,
        page[-1].at,
        head.after_at,
        head.last,
        [
            ChangedCopy(
                r.barcode,
                r.library_code,
                r.status,
                r.title,
                r.call_number,
                r.isbn13,
                r.local_code,
                r.ddc,
                r.category,
                r.audience,
                r.language,
                r.title_id,
            )
            for r in rows
        ],
    )
