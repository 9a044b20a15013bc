"""Is search ready? What `GET /api/catalog/health` and the OPAC tell a patron.

`preparing`: the index is being filled at start (or holds nothing while the catalogue holds books, e.g. a
Meilisearch volume lost): searches are answered from PostgreSQL meanwhile. `unreachable`: the engine
cannot be reached (PostgreSQL answers too). `ready`: the engine answers.
"""

from __future__ import annotations

import asyncpg
import msgspec

from search.backend import SearchBackend
from search.indexer import Indexer

HOLDS_BOOKS = "SELECT EXISTS (SELECT 1 FROM catalog.items WHERE status NOT IN ('withdrawn', 'lost'))"


class SearchStatus(msgspec.Struct, kw_only=True):
    engine: str
    state: str
    """ready, preparing or unreachable."""
    documents: int | None


async def search_status(pool: asyncpg.Pool, backend: SearchBackend, indexer: Indexer) -> SearchStatus:
    health = await backend.health()
    if not health.ok:
        state = "unreachable"
    elif not indexer.ready:
        state = "preparing"
    elif not health.documents:
        async with pool.acquire() as conn:
            state = "preparing" if await conn.fetchval(HOLDS_BOOKS) else "ready"
    else:
        state = "ready"
    return SearchStatus(engine=backend.name, state=state, documents=health.documents)
