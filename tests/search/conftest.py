"""Fixtures of the search suites: a database of their own holding three real seed packages, and the
backends under test.

Why not the shared `db`: the session's `server` fixture runs an in-process indexer on the shared database,
and it would drain outbox rows that these tests need to see, or push them into another index.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg
import pytest

from search.embedded import EmbeddedBackend
from search.indexer import rebuild_from_database
from searchdata import BLARAN, PACKAGES, SARANGAN, drop_database, fresh_database, ingest_seed
from services.catalog.ingest import ingest_package

MEILI_URL = os.environ.get("PUSTAKA_MEILI_URL")


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


def meili_backend(index: str):
    from search.meili import MeiliBackend

    if not MEILI_URL:
        pytest.skip("no Meilisearch server can be installed here: set PUSTAKA_MEILI_URL (and PUSTAKA_MEILI_KEY) "
                    "to run this suite against a live one")
    return MeiliBackend(MEILI_URL, os.environ.get("PUSTAKA_MEILI_KEY"), index=index)


@pytest.fixture(scope="session", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)])
async def backend(request, search_pool):
    """Each backend, filled from the search database by a rebuild."""
    engine = EmbeddedBackend() if request.param == "embedded" else meili_backend("pustaka_titles_test")
    await rebuild_from_database(search_pool, engine)
    yield engine
    await engine.close()


LANGUAGE_PACKAGE = Path(__file__).resolve().parent / "data" / "paket-contoh-indonesia.csv"


@pytest.fixture(scope="session")
async def language_pool(settings):
    """The three real seed packages and an Indonesian package (tests/search/data/) held by two of the
    libraries, in a database of their own: what the language and judged-query suites search."""
    url = await fresh_database(settings, "pustaka_language")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=5)
    async with pool.acquire() as conn:
        for library in PACKAGES:
            await ingest_seed(conn, library)
        for library in (SARANGAN, BLARAN):
            await ingest_package(conn, library=library, data=LANGUAGE_PACKAGE.read_bytes(),
                                 source_name=LANGUAGE_PACKAGE.name, actor="test")
        await conn.execute("DELETE FROM catalog.search_outbox")
    yield pool
    await pool.close()
    await drop_database(settings, url)


@pytest.fixture(scope="session", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)])
async def language_backend(request, language_pool):
    """Each backend, filled from the language database by a rebuild."""
    engine = EmbeddedBackend() if request.param == "embedded" else meili_backend("pustaka_titles_language")
    await rebuild_from_database(language_pool, engine)
    yield engine
    await engine.close()
