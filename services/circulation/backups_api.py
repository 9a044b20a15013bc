"""GET /api/circulation/v1/backups/latest: when the newest backup was made (the desk's and dashboard's banner)."""

from __future__ import annotations

import asyncpg
from litestar import get

from pustaka.access import Staff
from services.circulation.backups import LatestBackup, latest_backup

PREFIX = "/api/circulation/v1"


@get(f"{PREFIX}/backups/latest")
async def latest(pool: asyncpg.Pool, staff: Staff) -> LatestBackup:
    """Any logged-in staff member may see it: every librarian should know when the data was last saved."""
    async with pool.acquire() as conn:
        return await latest_backup(conn)


HANDLERS = [latest]
