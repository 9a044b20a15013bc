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

from services.circulation.clients.catalog import CatalogClient, CatalogItem
from services.circulation.copies import replica_columns
from services.circulation.queries import catalog_feed as q

log = logging.getLogger("pustaka.circulation")
POLL_SECONDS = 0.5


async def apply(pool: asyncpg.Pool, items: list[CatalogItem]) -> None:
    if not items:
        return
    async with pool.acquire() as conn:
        await q.refresh_seen_copies(conn, **replica_columns(items))


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
