"""Fixtures of the search suites: a database of their own holding three real seed packages, and the
backends under test.

Why not `db`: a module's `server` runs an in-process indexer on the module's database, and it would drain
outbox rows that these tests need to see, or push them into another index; and these catalogues, filled
once, serve every module of the search suites.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import msgspec
import pytest
import uvicorn
from searchdata import BLARAN, PACKAGES, SARANGAN, drop_database, fresh_database, ingest_seed

from search.embedded import EmbeddedBackend
from search.indexer import rebuild_from_database
from services.catalog.ingest import ingest_package


@pytest.fixture(scope="session")
async def search_pool(settings, template_database):
    """The three seed packages ingested, in a database of their own (read-only for the suites)."""
    url = await fresh_database(settings, template_database, "pustaka_search")
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


LANGUAGE_PACKAGE = Path(__file__).resolve().parent / "data" / "paket-contoh-indonesia.csv"


@pytest.fixture(scope="session")
async def language_pool(settings, template_database):
    """The three real seed packages and an Indonesian package (tests/search/data/) held by two of the
    libraries, in a database of their own: what the language and judged-query suites search."""
    url = await fresh_database(settings, template_database, "pustaka_language")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=5)
    async with pool.acquire() as conn:
        for library in PACKAGES:
            await ingest_seed(conn, library)
        for library in (SARANGAN, BLARAN):
            await ingest_package(
                conn,
                library=library,
                data=LANGUAGE_PACKAGE.read_bytes(),
                source_name=LANGUAGE_PACKAGE.name,
                actor="test",
            )
        await conn.execute("DELETE FROM catalog.search_outbox")
    yield pool
    await pool.close()
    await drop_database(settings, url)


@pytest.fixture(scope="session", params=["embedded", pytest.param("meilisearch", marks=pytest.mark.meili)])
async def language_backend(request, language_pool):
    """Each backend, filled from the language database by a rebuild."""
    if request.param == "embedded":
        engine = EmbeddedBackend()
    else:
        engine = meili_backend(request.getfixturevalue("meili_server"), "pustaka_titles_language")
    await rebuild_from_database(language_pool, engine)
    yield engine
    await engine.close()


@dataclass
class System:
    http: httpx.AsyncClient
    database_url: str
    pool: asyncpg.Pool
    env: dict[str, str]
    """What a `pustaka` command needs to reach the same database and engine."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
async def meili_system(settings, meili_server, template_database):
    """`pustaka up`'s app on Meilisearch (its live index), over a database holding one seed package.
    Module-scoped: other suites use the same live index too (test_outbox's indexer process)."""
    from pustaka.runtime import build_app
    from search.meili import MeiliBackend

    url = await fresh_database(settings, template_database, "pustaka_enginedown")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await ingest_seed(conn, SARANGAN)
    engine = MeiliBackend(meili_server.url, meili_server.key)
    await rebuild_from_database(pool, engine)  # the shared server's live index may hold another suite's books
    await engine.close()
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM catalog.search_outbox")  # all in the index already
    system = msgspec.structs.replace(settings, meili_url=meili_server.url, meili_key=meili_server.key)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(build_app(system, url), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(uv.serve())
    while not uv.started:
        await asyncio.sleep(0.02)
        if task.done():
            task.result()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        yield System(
            http=client,
            database_url=url,
            pool=pool,
            env={
                "PUSTAKA_DATABASE_URL": url,
                "PUSTAKA_MEILI_URL": meili_server.url,
                "PUSTAKA_MEILI_KEY": meili_server.key or "",
            },
        )
    uv.should_exit = True
    await task
    await pool.close()
    await drop_database(settings, url)
