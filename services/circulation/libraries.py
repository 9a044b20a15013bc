"""The libraries the desk's use cases name, as the catalogue knows them: the one place circulation's use cases
ask the directory of libraries (kept by the statistics side, `stats/directory.py`)."""

from __future__ import annotations

from services.circulation.service import Circulation
from services.circulation.stats import directory


async def ensure_library(circulation: Circulation, code: str) -> None:
    """A 404 problem `library_not_found` unless the catalogue knows the library."""
    async with circulation.pool.acquire() as conn:
        await directory.ensure_library(conn, circulation.catalog, code)


async def library_name(circulation: Circulation, code: str) -> str:
    """A library's name, read from the catalogue once when unknown here; its code when unreachable."""
    async with circulation.pool.acquire() as conn:
        return await directory.library_name(conn, circulation.catalog, code)
