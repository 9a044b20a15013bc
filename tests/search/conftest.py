"""Fixtures of the search suites: a database of their own holding three real seed packages, and the
backends under test.

Why not the shared `db`: the session's `server` fixture runs an in-process indexer on the shared database,
and it would drain outbox rows that these tests need to see, or push them into another index.
"""

from __future__ import annotations

import asyncpg
import pytest

from search.embedded import EmbeddedBackend
from search.indexer import rebuild_from_database
from searchdata import PACKAGES, drop_database, fresh_database, ingest_seed

@pytest.fixture(scope="session")
async def search_pool(settings):
    """The three seed packages ingested, in a database of their own (read-only for the suites)."""
    url = await fresh_database(settings, "pustaka_search")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=10)
    async with pool.acquire() as conn:
        for library in PACKAGES:
            await ingest_seed(conn, library)
        await conn.execute("DELETE FROM catalog.search_outbox")  # the suites index by rebuilding
    yield pool
    await pool.close()
    await drop_database(settings, url)


def meili_backend(server, index: str):
    from search.meili import MeiliBackend

    return MeiliBackend(server.url, server.key, index=index)


@pytest.fixture(scope="session", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)])
async def backend(request, search_pool):
    """Each backend, filled from the search database by a rebuild."""
    if request.param == "embedded":
        engine = EmbeddedBackend()
    else:
        engine = meili_backend(request.getfixturevalue("meili_server"), "pustaka_titles_test")
    await rebuild_from_database(search_pool, engine)
    yield engine
    await engine.close()
