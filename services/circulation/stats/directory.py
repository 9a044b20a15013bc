"""The catalogue's libraries and holdings as statistics need them, read over HTTP (circulation never reads
catalog.* by SQL) and kept in circulation.stats_libraries / stats_holdings.

Holdings are a dated snapshot per library: `collection_items` at the end of a range is the last snapshot
on or before that day (the first one when the range ends before any snapshot was taken). A snapshot older
than REFRESH_SECONDS is read again on the next statistics request.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import asyncpg
import msgspec
from litestar import Request

from pustaka.errors import NotFound
from pustaka.sql import load
from services.circulation.clients.catalog import PREFIX, CatalogClient, path_segment
from services.circulation.clock import today as jakarta_today
from services.circulation.stats.domain import Scope

Q = load(__file__, "directory.sql")
REFRESH_SECONDS = 600
LIBRARIES_RETRY_SECONDS = 30
LIBRARIES_REFRESH_SECONDS = 3600


class CatalogLibrary(msgspec.Struct):
    code: str
    name: str
    kind: str
    kecamatan: str
    kabupaten: str
    kecamatan_code: str
    kabupaten_code: str


_LIBRARIES = msgspec.json.Decoder(list[CatalogLibrary])


async def catalog_libraries(client: CatalogClient) -> list[CatalogLibrary]:
    """Every library the catalogue knows."""
    answer = await client._send("GET", f"{PREFIX}/libraries")
    answer.raise_for_status()
    return _LIBRARIES.decode(answer.content)


class _Holding(msgspec.Struct):
    library: str
    items: int
    titles: int


_HOLDINGS = msgspec.json.Decoder(list[_Holding])
HOLDINGS_PER_REQUEST = 100


async def catalog_holdings_of(client: CatalogClient, codes: list[str]) -> list[_Holding]:
    """Items held and titles of many libraries in one catalogue request (GET /holdings)."""
    query = "&".join(f"library={quote(code)}" for code in codes)
    answer = await client._send("GET", f"{PREFIX}/holdings?{query}")
    answer.raise_for_status()
    return _HOLDINGS.decode(answer.content)


class _HeldTitle(msgspec.Struct):
    title: str
    copies: int
    isbn13: str | None = None
    local_code: str | None = None


class _TitlePage(msgspec.Struct):
    titles: list[_HeldTitle]
    total: int


async def catalog_titles(client: CatalogClient, code: str) -> list[dict]:
    """Every title a library holds, as the catalogue lists it (pages of 500)."""
    found: list[dict] = []
    page = 1
    while True:
        answer = await client._send("GET", f"{PREFIX}/libraries/{path_segment(code)}/titles?per_page=500&page={page}")
        answer.raise_for_status()
        batch = msgspec.json.decode(answer.content, type=_TitlePage)
        found += [{"code": t.isbn13 or t.local_code, "title": t.title, "copies": t.copies} for t in batch.titles]
        if not batch.titles or len(found) >= batch.total:
            return found
        page += 1


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
    if await conn.fetchval(Q.library_known, code):
        return
    if not await catalog.library_exists(code):
        raise NotFound("library_not_found", f"no library has code {code}", field="library")


async def refresh_libraries(conn: asyncpg.Connection, catalog: CatalogClient) -> int:
    found = await catalog_libraries(catalog)
    await conn.execute(Q.upsert_libraries, [lib.code for lib in found], [lib.name for lib in found],
                       [lib.kind for lib in found], [lib.kecamatan for lib in found],
                       [lib.kecamatan_code for lib in found], [lib.kabupaten for lib in found],
                       [lib.kabupaten_code for lib in found])
    return len(found)


async def library_name(conn: asyncpg.Connection, catalog: CatalogClient | None, code: str) -> str:
    """A library's name from the local directory, read from the catalogue when unknown; its code when the
    catalogue cannot be reached either."""
    name = await conn.fetchval(Q.library_name, code)
    if name is None and catalog is not None:
        try:
            await refresh_libraries(conn, catalog)
        except Exception:  # noqa: BLE001 - the name is a courtesy; the refusal stands without it
            return code
        name = await conn.fetchval(Q.library_name, code)
    return name or code


async def libraries_in(conn: asyncpg.Connection, catalog: CatalogClient | None, scope: Scope) -> list[asyncpg.Record]:
    """The libraries of a scope (code, name, kind, kecamatan...), or a 404 problem for an unknown code."""
    if catalog is not None and await conn.fetchval(Q.libraries_stale, LIBRARIES_REFRESH_SECONDS):
        await refresh_libraries(conn, catalog)  # a library added to the catalogue shows within the hour
    rows = await conn.fetch(Q.libraries_in, scope.kind, scope.code)
    if not rows and catalog is not None and await conn.fetchval(Q.libraries_stale, LIBRARIES_RETRY_SECONDS):
        await refresh_libraries(conn, catalog)
        rows = await conn.fetch(Q.libraries_in, scope.kind, scope.code)
    if not rows:
        raise NotFound("scope_not_found", f"no library is known in {scope}", field="scope")
    return rows


async def refresh_holdings(conn: asyncpg.Connection, catalog: CatalogClient | None, codes: list[str],
                           today: dt.date | None = None) -> None:
    """Take today's holdings snapshot of the libraries whose last one is stale (skipped without a client)."""
    if catalog is None:
        return
    today = today or jakarta_today()
    stale = [r["code"] for r in await conn.fetch(Q.stale_holdings, codes, today, REFRESH_SECONDS)]
    for start in range(0, len(stale), HOLDINGS_PER_REQUEST):
        for held in await catalog_holdings_of(catalog, stale[start:start + HOLDINGS_PER_REQUEST]):
            await conn.execute(Q.upsert_holding, held.library, today, held.items, held.titles)
