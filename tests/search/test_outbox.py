"""PostgreSQL is the source of truth: every change reaches the search index through the outbox, late if
the engine is down, never lost, never doubled, never out of order; and quickly when all is well."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import asyncpg
import pytest
from searchdata import (
    SARANGAN,
    TBM_DADI,
    Switched,
    drop_database,
    eventually,
    fresh_database,
    indexed_ids,
    ingest_seed,
    login,
)

from pustaka.sql import load
from search.backend import SearchQuery
from search.indexer import Indexer
from services.catalog.queries import items as item_queries

ORACLE = load(str(Path(__file__)), "oracle.sql")
URLS: dict[int, str] = {}
CATALOG_TABLES = (
    "catalog.search_outbox",
    "catalog.audit_log",
    "catalog.rejections",
    "catalog.items",
    "catalog.packages",
    "catalog.titles",
    "catalog.idempotency_keys",
)


@pytest.fixture(scope="module")
async def outbox_pool(settings, template_database):
    url = await fresh_database(settings, template_database, "pustaka_outbox")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=12)
    URLS[id(pool)] = url
    yield pool
    await pool.close()
    await drop_database(settings, url)


@pytest.fixture
async def outbox(outbox_pool):
    """Libraries, no books, an empty outbox."""
    async with outbox_pool.acquire() as conn:
        await conn.execute(f"TRUNCATE {', '.join(CATALOG_TABLES)} RESTART IDENTITY CASCADE")
    return outbox_pool


async def outbox_rows(pool) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM catalog.search_outbox")


async def held_ids(pool) -> list[str]:
    from search.documents import document_id

    async with pool.acquire() as conn:
        return sorted(document_id(r["library"], r["title_id"]) for r in await conn.fetch(ORACLE.held_titles))


def start(pool, backend, **options) -> asyncio.Task:
    indexer = Indexer(pool, backend, embedded=True, poll_seconds=0.1, max_backoff=0.2, **options)
    return asyncio.create_task(indexer.run())


async def stop(task: asyncio.Task) -> None:
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=10)
    assert done, "the indexer was cancelled but did not stop within 10 s"


async def test_an_engine_that_is_down_delays_updates_and_loses_none(outbox):
    pool = outbox
    switch = Switched()
    task = start(pool, switch)
    try:
        async with pool.acquire() as conn:
            await ingest_seed(conn, TBM_DADI)
        assert await eventually(lambda: _count(switch, 1000))
        assert await eventually(lambda: outbox_empty(pool))  # the batch has committed, not only pushed

        switch.down = True
        async with pool.acquire() as conn:
            await ingest_seed(conn, SARANGAN)
        await asyncio.sleep(1.0)
        assert await outbox_rows(pool) == 1000  # every change is kept while the engine is away
        assert switch.engine.document_count() == 1000

        switch.down = False
        assert await eventually(lambda: outbox_empty(pool), timeout=5)
        assert switch.engine.document_count() == 2000
        assert sorted(await indexed_ids(switch)) == await held_ids(pool)
    finally:
        await stop(task)


async def _count(switch: Switched, expected: int) -> bool:
    return switch.engine.document_count() == expected


async def test_an_indexer_killed_mid_batch_loses_and_doubles_nothing(outbox):
    pool = outbox
    switch = Switched()
    first = start(pool, switch, batch_size=400)
    await asyncio.sleep(0.2)  # started, found nothing to do
    switch.stall = True
    async with pool.acquire() as conn:
        await ingest_seed(conn, SARANGAN)
    await asyncio.wait_for(switch.stalled.wait(), 5)
    await stop(first)  # killed after pushing half of its first batch
    assert switch.engine.document_count() == 200
    assert await outbox_rows(pool) == 1000  # its batch was rolled back, not deleted

    switch.stall = False
    second = start(pool, switch, batch_size=400)
    try:
        assert await eventually(lambda: outbox_empty(pool), timeout=5)
        ids = await indexed_ids(switch)
        assert len(ids) == switch.engine.document_count() == 1000
        assert sorted(ids) == await held_ids(pool)  # every title once: the half pushed twice is not doubled
    finally:
        await stop(second)


async def outbox_empty(pool) -> bool:
    return await outbox_rows(pool) == 0


async def test_many_changes_of_one_copy_end_in_its_last_state_with_two_indexers_racing(outbox):
    pool = outbox
    switch = Switched()
    async with pool.acquire() as conn:
        await ingest_seed(conn, TBM_DADI)
        await conn.execute("DELETE FROM catalog.search_outbox")  # the racers fill the empty index at start
    racers = [start(pool, switch, batch_size=3) for _ in range(2)]
    try:
        assert await eventually(lambda: _count(switch, 1000), timeout=5)
        async with pool.acquire() as conn:
            barcode = (await conn.fetch(ORACLE.copies_of, TBM_DADI, "9780439554930"))[0]["barcode"]
            for status in ["on_loan", "available", "damaged", "available", "on_loan"] * 6:
                await item_queries.set_statuses(conn, barcodes=[barcode], statuses=[status], actor="test")
        assert await eventually(lambda: outbox_empty(pool), timeout=5)
        hit = (await switch.search(SearchQuery(q="9780439554930", library=TBM_DADI))).hits[0]
        assert (hit.copies, hit.available) == (1, 0)
    finally:
        for task in racers:
            await stop(task)


async def test_an_ingest_is_searchable_within_two_seconds_through_the_running_server(http, magetan):
    async with magetan.acquire() as conn:
        started = time.perf_counter()
        report = await ingest_seed(conn, SARANGAN)
    assert report.titles == 1000

    async def found() -> bool:
        answer = await http.get("/api/catalog/v1/search", params={"library": SARANGAN, "per_page": 1})
        return answer.status_code == 200 and answer.json()["total"] == 1000

    assert await eventually(found, timeout=2.0)
    assert time.perf_counter() - started < 2.0

    answer = await http.get("/api/catalog/v1/search", params={"q": "laskar pelagi", "library": SARANGAN})
    laskar = answer.json()["hits"][0]
    assert laskar["title"] == "Laskar Pelangi (Tetralogi Laskar Pelangi, #1)" and laskar["available"] >= 1
    barcode = (await http.get(f"/api/catalog/v1/libraries/{SARANGAN}/titles/{laskar['isbn13']}/items")).json()
    headers = await login(http, magetan, "admin-search", "admin")
    changed_at = time.perf_counter()
    for copy in barcode["items"]:
        answer = await http.post(
            f"/api/catalog/v1/items/{copy['barcode']}/status", json={"status": "on_loan"}, headers=headers
        )
        assert answer.status_code == 200, answer.text

    async def out() -> bool:
        answer = await http.get("/api/catalog/v1/search", params={"q": laskar["isbn13"], "library": SARANGAN})
        return answer.json()["hits"][0]["available"] == 0

    assert await eventually(out, timeout=2.0)
    assert time.perf_counter() - changed_at < 2.0


@pytest.mark.meili
async def test_a_killed_indexer_process_loses_nothing(outbox, meili_server):
    pool = outbox
    from search.meili import MeiliBackend

    meili = MeiliBackend(meili_server.url, meili_server.key)  # the index `pustaka indexer` fills
    await meili.rebuild(_nothing())
    env = {
        **os.environ,
        "PUSTAKA_DATABASE_URL": URLS[id(pool)],
        "PUSTAKA_MEILI_URL": meili_server.url,
        "PUSTAKA_MEILI_KEY": meili_server.key or "",
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "pustaka", "indexer", env=env)
    try:
        async with pool.acquire() as conn:
            await ingest_seed(conn, SARANGAN)
        await asyncio.sleep(0.3)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    task = start(pool, meili)
    try:
        assert await eventually(lambda: outbox_empty(pool), timeout=30)
        assert sorted(await indexed_ids(meili)) == await held_ids(pool)
    finally:
        await stop(task)


async def _nothing():
    if False:
        yield []
