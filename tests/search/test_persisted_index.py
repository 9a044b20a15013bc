"""The embedded index is kept in the data folder: a restarted `pustaka up` reopens it when it is current
(changes made while it was down are drained from the outbox), and rebuilds it when another process
drained the outbox meanwhile, since the index on disk then misses changes."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import asyncpg
import httpx
import msgspec
import pytest
import uvicorn
from searchdata import BLARAN, SARANGAN, TBM_DADI, drop_database, eventually, fresh_database, ingest_seed

from search.embedded import EmbeddedBackend
from search.indexer import Indexer

SEARCH = "/api/catalog/v1/search"


@pytest.fixture
async def catalogue(settings, template_database):
    url = await fresh_database(settings, template_database, "pustaka_persisted")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    yield url, pool
    await pool.close()
    await drop_database(settings, url)


@contextlib.asynccontextmanager
async def running(settings, url: str):
    """`pustaka up`'s app serving over HTTP until the block ends; the client once search is ready."""
    from pustaka.runtime import build_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(build_app(settings, url), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(uv.serve())
    try:
        while not uv.started:
            await asyncio.sleep(0.02)
            if task.done():
                task.result()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:

            async def ready() -> bool:
                return (await http.get("/api/catalog/health")).json()["search"] == "ready"

            assert await eventually(ready, timeout=30)
            yield http
    finally:
        uv.should_exit = True
        await task


async def held(http, library: str) -> int:
    body = (await http.get(SEARCH, params={"library": library, "per_page": 1})).json()
    assert body["degraded"] is False  # the engine answers, not the PostgreSQL fallback
    return body["total"]


def generation(folder) -> str:
    return next(folder.glob("search/*/current")).read_text()


async def test_a_restart_reopens_a_current_index_and_rebuilds_a_stale_one(settings, catalogue, tmp_path):
    url, pool = catalogue
    settings = msgspec.structs.replace(settings, data_dir=tmp_path)
    async with pool.acquire() as conn:
        await ingest_seed(conn, SARANGAN)
    async with running(settings, url) as http:
        sarangan = await held(http, SARANGAN)
        assert sarangan > 900
    first = generation(tmp_path)

    # While the server is down, a librarian's ingest (another process) queues its changes in the outbox.
    async with pool.acquire() as conn:
        await ingest_seed(conn, TBM_DADI)
        dadi = await conn.fetchval(
            "SELECT count(DISTINCT title_id) FROM catalog.items WHERE library_code = $1", TBM_DADI
        )
    async with running(settings, url) as http:
        assert generation(tmp_path) == first  # reopened, not rebuilt
        assert await held(http, SARANGAN) == sarangan
        assert await eventually(lambda: _has(http, TBM_DADI, dadi))

    # Another process drains the outbox into its own index: the one on disk misses that change.
    async with pool.acquire() as conn:
        await ingest_seed(conn, BLARAN)
    other = Indexer(pool, EmbeddedBackend(), embedded=True)
    await other.drain()
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM catalog.search_outbox") == 0
    async with running(settings, url) as http:
        assert generation(tmp_path) != first  # rebuilt from PostgreSQL
        assert await held(http, BLARAN) > 900
        assert await held(http, TBM_DADI) == dadi and await held(http, SARANGAN) == sarangan


async def _has(http, library: str, count: int) -> bool:
    return await held(http, library) == count
