"""The catalogue's libraries and holdings as the statistics read model needs them, read over HTTP
(circulation never reads catalog.* by SQL) and kept in circulation.stats_libraries / stats_holdings.

Holdings are a dated snapshot per library: `collection_items` at the end of a range is the last snapshot
on or before that day (the first one when the range ends before any snapshot was taken). A snapshot is
good for REFRESH_SECONDS. The background upkeep (upkeep.py) reads the library list again when it is older
than LIBRARIES_REFRESH_SECONDS, and renews today's snapshots once they are older than REFRESH_SECONDS; when
a reader asks (reporting found a snapshot of today missing or old, or a scope it does not know) the round
also takes the missing snapshots, and reads the library list if it is older than LIBRARIES_RETRY_SECONDS.
No snapshot is taken before a reader asks for one: a snapshot at start-up would hide the books ingested in
the minutes after it.
"""

from __future__ import annotations

import datetime as dt

import asyncpg
from litestar import Request

from pustaka.errors import NotFound
from services.circulation.clients.catalog import CatalogClient
from services.circulation.queries import directory as q

REFRESH_SECONDS = 600
LIBRARIES_RETRY_SECONDS = 30
LIBRARIES_REFRESH_SECONDS = 3600


def catalog_for(request: Request) -> CatalogClient:
    """The service's catalogue client (`state.catalog`); failing that, one for PUSTAKA_CATALOG_URL or the
    address this request came in on (in the embedded default both services answer at the same origin)."""
    state = request.app.state
    client = getattr(state, "catalog", None) or getattr(state, "stats_catalog", None)
    if client is None:
        base = state.settings.catalog_url or str(request.base_url).rstrip("/")
        client = CatalogClient.over_http(base, state.settings)
        state.stats_catalog = client
    return client


async def ensure_library(conn: asyncpg.Connection, catalog: CatalogClient, code: str) -> None:
    """A 404 problem unless the catalogue knows the library (the local directory is asked first)."""
    if await q.library_known(conn, code=code):
        return
    if not await catalog.library_exists(code):
        raise NotFound("library_not_found", f"no library has code {code}", field="library")


async def refresh_libraries(conn: asyncpg.Connection, catalog: CatalogClient) -> int:
    found = await catalog.libraries()
    await q.upsert_libraries(
        conn,
        codes=[lib.code for lib in found],
        names=[lib.name for lib in found],
        kinds=[lib.kind for lib in found],
        kecamatans=[lib.kecamatan for lib in found],
        kecamatan_codes=[lib.kecamatan_code for lib in found],
        kabupatens=[lib.kabupaten for lib in found],
        kabupaten_codes=[lib.kabupaten_code for lib in found],
    )
    return len(found)


async def library_name(conn: asyncpg.Connection, catalog: CatalogClient | None, code: str) -> str:
    """A library's name from the local directory, read from the catalogue when unknown; its code when the
    catalogue cannot be reached either."""
    name = await q.library_name(conn, code=code)
    if name is None and catalog is not None:
        try:
            await refresh_libraries(conn, catalog)
        except Exception:  # noqa: BLE001 - the name is a courtesy; the refusal stands without it
            return code
        name = await q.library_name(conn, code=code)
    return name or code


async def refresh_directory(pool: asyncpg.Pool, catalog: CatalogClient, *, today: dt.date, asked: bool) -> int:
    """One round of the directory upkeep: the library list when stale (sooner when a reader `asked`), then
    today's holdings snapshot of every library whose snapshot of today is old (or, when a reader `asked`,
    missing). Returns the snapshots taken."""
    async with pool.acquire() as conn:
        if await q.libraries_stale(
            conn, max_age_seconds=LIBRARIES_RETRY_SECONDS if asked else LIBRARIES_REFRESH_SECONDS
        ):
            await refresh_libraries(conn, catalog)
        stale = [
            lib.code
            for lib in await q.stale_holdings(conn, today=today, max_age_seconds=REFRESH_SECONDS, missing_too=asked)
        ]
    if not stale:
        return 0
    held = await catalog.holdings(stale)
    async with pool.acquire() as conn:
        await q.upsert_holdings(
            conn,
            libraries=[h.library for h in held],
            today=today,
            items=[h.items for h in held],
            titles=[h.titles for h in held],
        )
    return len(held)
