"""The local replica of the catalogue's copies: filled on first sight, so the desk keeps lending and taking
back copies it has seen before while the catalogue is unreachable."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import asyncpg

from kernel.ddc import ddc_class
from pustaka.errors import Invalid
from pustaka.sql import load
from services.circulation.clients.catalog import CatalogClient, CatalogItem, CatalogUnreachable

Q = load(__file__, "copies.sql")
_refreshed: dict[str, float] = {}
_refreshing: set[asyncio.Task] = set()
REFRESH_AFTER_SECONDS = 600
"""A copy seen longer ago is looked up again (for a withdrawal made in the catalogue), when reachable."""


@dataclass(frozen=True, slots=True)
class SeenCopy:
    barcode: str
    library: str
    isbn13: str | None
    title: str


def _seen(row: asyncpg.Record) -> SeenCopy:
    return SeenCopy(row["barcode"], row["library_code"], row["isbn13"], row["title"])


async def _store(pool: asyncpg.Pool, items: list[CatalogItem]) -> None:
    columns = ("barcode", "library", "title_id", "isbn13", "local_code", "title", "call_number", "ddc")
    values = [[getattr(i, c) for i in items] for c in columns]
    async with pool.acquire() as conn:
        await conn.execute(Q.upsert_copies, *values, [ddc_class(i.ddc) for i in items],
                           [i.audience for i in items], [i.category for i in items], [i.language for i in items],
                           [i.status for i in items])


async def sight(pool: asyncpg.Pool, catalog: CatalogClient, barcode: str) -> SeenCopy:
    """The copy with this barcode, from the replica or (first sight, or stale) from the catalogue."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(Q.copy, barcode, REFRESH_AFTER_SECONDS)
    if row is not None and row["fresh"]:
        return _seen(row)
    try:
        item = await catalog.item(barcode)
    except CatalogUnreachable as exc:
        if row is not None:
            return _seen(row)
        raise CatalogUnreachable(
            "catalog_unreachable",
            f"copy {barcode} has not been seen at this desk before and the catalogue cannot be reached now; "
            "try again when the connection is back", field="item_barcode") from exc
    if item is None:
        if row is not None:
            return _seen(row)
        raise Invalid("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    await _store(pool, [item])
    _refreshed[barcode] = time.monotonic()  # just looked up: refresh_soon need not ask the catalogue again
    return SeenCopy(item.barcode, item.library, item.isbn13, item.title)


def refresh_soon(pool: asyncpg.Pool, catalog: CatalogClient, barcode: str) -> None:
    """Look a copy up in the catalogue again, in the background, when this process has not for a while."""
    now = time.monotonic()
    if now - _refreshed.get(barcode, -REFRESH_AFTER_SECONDS) < REFRESH_AFTER_SECONDS or len(_refreshing) > 8:
        return
    _refreshed[barcode] = now

    async def refresh() -> None:
        try:
            item = await catalog.item(barcode)
            if item is not None:
                await _store(pool, [item])
        except Exception:  # noqa: BLE001 - the replica stays as it is; the next round tries again
            _refreshed.pop(barcode, None)

    task = asyncio.create_task(refresh())
    _refreshing.add(task)
    task.add_done_callback(_refreshing.discard)


async def sight_title(pool: asyncpg.Pool, catalog: CatalogClient, library: str, isbn13: str) -> None:
    """Store the library's copies of a title in the replica; when the catalogue is unreachable, the copies
    seen before must do (and none seen before is a `catalog_unreachable` refusal)."""
    try:
        found = await catalog.title_copies(library, isbn13)
    except CatalogUnreachable as exc:
        async with pool.acquire() as conn:
            if await conn.fetch(Q.copies_of_title, library, isbn13):
                return
        raise CatalogUnreachable(
            "catalog_unreachable", f"no copy of {isbn13} in {library} has been seen at this desk and the "
            "catalogue cannot be reached now; try again when the connection is back", field="isbn13") from exc
    if found is not None:
        await _store(pool, [CatalogItem(
            barcode=c.barcode, library=library, status=c.status, title=found.title, call_number=c.call_number,
            isbn13=found.isbn13, local_code=found.local_code, ddc=found.ddc, category=found.category,
            audience=found.audience, language=found.language, title_id=found.title_id) for c in found.items])
