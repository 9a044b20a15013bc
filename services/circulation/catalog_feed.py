"""Following the catalogue's copy-change feed: a title corrected or classified, a copy withdrawn, damaged or
written off after a stock-take reaches the copies replica within about a second, so the next loan's event
carries the new title facts (statistics by DDC class) and the desk refuses a withdrawn copy.

The position (a change's id and time) is kept in memory: after a restart the feed is read again from the
start, which is harmless (it sets facts as they are now); a position whose change is gone or has another
time means the catalogue's feed was reset, and it is read from the start too. When the catalogue is
unreachable the follower waits and tries again; the
replica's own refresh of copies seen long ago (copies.py) remains the fallback.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from kernel.ddc import ddc_class
from services.circulation.clients.catalog import CatalogClient, CatalogItem
from services.circulation.queries import catalog_feed as q

log = logging.getLogger("pustaka.circulation")
POLL_SECONDS = 0.5


async def apply(pool: asyncpg.Pool, items: list[CatalogItem]) -> None:
    if not items:
        return
    async with pool.acquire() as conn:
        await q.refresh_seen_copies(
            conn,
            barcodes=[i.barcode for i in items],
            title_ids=[i.title_id for i in items],
            isbn13s=[i.isbn13 for i in items],
            local_codes=[i.local_code for i in items],
            titles=[i.title for i in items],
            call_numbers=[i.call_number for i in items],
            ddcs=[i.ddc for i in items],
            ddc_classes=[ddc_class(i.ddc) for i in items],
            audiences=[i.audience for i in items],
            categories=[i.category for i in items],
            languages=[i.language for i in items],
            catalog_statuses=[i.status for i in items],
        )


async def follow(pool: asyncpg.Pool, catalog: CatalogClient, poll: float = POLL_SECONDS) -> None:
    """Read the feed forever, applying each page to the replica."""
    position, position_at = 0, None
    while True:
        try:
            page = await catalog.copy_changes(position)
            if position and page.after_at != position_at:
                position, position_at = 0, None  # the feed was reset (a restored or emptied database)
                continue
            await apply(pool, page.items)
            position, position_at = page.upto, page.upto_at
            if page.upto < page.last:
                continue  # more pages waiting
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - unreachable catalogue or database: the next round tries again
            log.debug("following the catalogue's copy changes failed", exc_info=True)
        await asyncio.sleep(poll)
