"""The local replica of the catalogue's copies: filled on first sight, so the desk keeps lending and taking
back copies it has seen before while the catalogue is unreachable."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import asyncpg

from kernel.ddc import ddc_class
from pustaka.errors import Invalid
from services.circulation.clients.catalog import CatalogClient, CatalogItem, CatalogUnreachable
from services.circulation.queries import copies as q

REFRESH_AFTER_SECONDS = 600
"""A copy seen longer ago is looked up again (for a withdrawal made in the catalogue), when reachable."""
MAX_REFRESHING = 8


def replica_columns(items: list[CatalogItem]) -> dict[str, list]:
    """The catalogue's answers as the column arrays the replica's statements take (one element per copy)."""
    return {
        "barcodes": [i.barcode for i in items],
        "title_ids": [i.title_id for i in items],
        "isbn13s": [i.isbn13 for i in items],
        "local_codes": [i.local_code for i in items],
        "titles": [i.title for i in items],
        "call_numbers": [i.call_number for i in items],
        "ddcs": [i.ddc for i in items],
        "ddc_classes": [ddc_class(i.ddc) for i in items],
        "audiences": [i.audience for i in items],
        "categories": [i.category for i in items],
        "languages": [i.language for i in items],
        "catalog_statuses": [i.status for i in items],
    }


@dataclass(frozen=True, slots=True)
class SeenCopy:
    barcode: str
    library: str
    isbn13: str | None
    title: str


@dataclass
class Replica:
    """The replica of one circulation process: it remembers when it last asked the catalogue about a copy,
    and owns the background look-ups it starts (awaited by `aclose`)."""

    pool: asyncpg.Pool
    catalog: CatalogClient
    _refreshed: dict[str, float] = field(default_factory=dict)
    _refreshing: set[asyncio.Task[None]] = field(default_factory=set)

    async def store(self, items: list[CatalogItem]) -> None:
        async with self.pool.acquire() as conn:
            await q.upsert_copies(conn, libraries=[i.library for i in items], **replica_columns(items))

    async def sight(self, barcode: str) -> SeenCopy:
        """The copy with this barcode, from the replica or (first sight, or stale) from the catalogue."""
        async with self.pool.acquire() as conn:
            row = await q.copy(conn, barcode=barcode, fresh_seconds=REFRESH_AFTER_SECONDS)
        if row is not None and row.fresh:
            self._refreshed.setdefault(barcode, time.monotonic())
            return SeenCopy(row.barcode, row.library_code, row.isbn13, row.title)
        try:
            item = await self.catalog.item(barcode)
        except CatalogUnreachable as exc:
            if row is not None:
                return SeenCopy(row.barcode, row.library_code, row.isbn13, row.title)
            raise CatalogUnreachable(
                "catalog_unreachable",
                f"copy {barcode} has not been seen at this desk before and the catalogue cannot be reached now; "
                "try again when the connection is back",
                field="item_barcode",
            ) from exc
        if item is None:
            if row is not None:
                return SeenCopy(row.barcode, row.library_code, row.isbn13, row.title)
            raise Invalid("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
        await self.store([item])
        self._refreshed[barcode] = time.monotonic()  # just looked up: refresh_soon need not ask again
        return SeenCopy(item.barcode, item.library, item.isbn13, item.title)

    def refresh_soon(self, barcode: str) -> None:
        """Look a copy up in the catalogue again, in the background, when this process has not for a while."""
        now = time.monotonic()
        last = self._refreshed.get(barcode, -REFRESH_AFTER_SECONDS)
        if now - last < REFRESH_AFTER_SECONDS or len(self._refreshing) >= MAX_REFRESHING:
            return
        self._refreshed[barcode] = now
        task = asyncio.create_task(self._refresh(barcode), name=f"replica-refresh-{barcode}")
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)

    async def _refresh(self, barcode: str) -> None:
        try:
            item = await self.catalog.item(barcode)
            if item is not None:
                await self.store([item])
        except Exception:  # noqa: BLE001 - the replica stays as it is; the next round tries again
            self._refreshed.pop(barcode, None)

    async def sight_title(self, library: str, isbn13: str) -> None:
        """Store the library's copies of a title in the replica; when the catalogue is unreachable, the copies
        seen before must do (and none seen before is a `catalog_unreachable` refusal)."""
        try:
            found = await self.catalog.title_copies(library, isbn13)
        except CatalogUnreachable as exc:
            async with self.pool.acquire() as conn:
                if await q.copies_of_title(conn, library=library, isbn13=isbn13):
                    return
            raise CatalogUnreachable(
                "catalog_unreachable",
                f"no copy of {isbn13} in {library} has been seen at this desk and the "
                "catalogue cannot be reached now; try again when the connection is back",
                field="isbn13",
            ) from exc
        if found is not None:
            await self.store(
                [
                    CatalogItem(
                        barcode=c.barcode,
                        library=library,
                        status=c.status,
                        title=found.title,
                        call_number=c.call_number,
                        isbn13=found.isbn13,
                        local_code=found.local_code,
                        ddc=found.ddc,
                        category=found.category,
                        audience=found.audience,
                        language=found.language,
                        title_id=found.title_id,
                    )
                    for c in found.items
                ]
            )

    async def aclose(self) -> None:
        """Wait for the look-ups still running (a shutdown must not cut one off halfway)."""
        if self._refreshing:
            await asyncio.gather(*self._refreshing, return_exceptions=True)
