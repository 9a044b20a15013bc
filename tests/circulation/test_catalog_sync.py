"""Availability reaches the catalogue (and so search) within 2 s, and survives the catalogue being down."""

import asyncio
import time
from contextlib import asynccontextmanager
from urllib.parse import urlparse

import asyncpg
import httpx
import msgspec
import uvicorn

from pustaka.database import drop_database, server_url
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from services.catalog.app import create_app as catalog_app
from services.circulation.app import create_app as circulation_app
from tests.circulation.conftest import GONGGANG, check_in, check_out, ingest_books, register
from tests.databases import copy_of_template
from tests.inprocess import free_port as _free_port
from tests.support import token_for


async def catalogue_status(http: httpx.AsyncClient, barcode: str) -> str:
    return (await http.get(f"/api/catalog/v1/items/{barcode}")).json()["status"]


async def wait_for_status(http: httpx.AsyncClient, barcode: str, status: str, limit: float) -> float:
    """Seconds until the catalogue shows `status` for the copy; fails after `limit`."""
    started = time.monotonic()
    while (seen := await catalogue_status(http, barcode)) != status:
        assert time.monotonic() - started < limit, f"{barcode} still {seen} after {limit}s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def available_in_search(http: httpx.AsyncClient, isbn13: str) -> int | None:
    hits = (await http.get("/api/catalog/v1/search", params={"q": isbn13, "library": GONGGANG})).json()["hits"]
    return hits[0]["available"] if hits else None


async def wait_for_search(http: httpx.AsyncClient, isbn13: str, available: int, limit: float) -> float:
    started = time.monotonic()
    while (seen := await available_in_search(http, isbn13)) != available:
        assert time.monotonic() - started < limit, f"search still says {seen} available after {limit}s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_a_loan_and_a_return_reach_the_catalogue_and_search_within_2_seconds(http, books, desk, pool):
    member = (await register(http, desk))["member_number"]
    isbn13 = "9789791680479"  # two copies
    barcode = books[isbn13][0]
    await wait_for_search(http, isbn13, 2, 5.0)  # the fresh package is indexed
    assert (await check_out(http, desk, barcode, member)).status_code == 201
    started = time.monotonic()
    await wait_for_status(http, barcode, "on_loan", 2.0)
    await wait_for_search(http, isbn13, 1, 2.0 - (time.monotonic() - started))
    assert (await check_in(http, desk, barcode)).status_code == 200
    started = time.monotonic()
    await wait_for_status(http, barcode, "available", 2.0)
    await wait_for_search(http, isbn13, 2, 2.0 - (time.monotonic() - started))
    async with pool.acquire() as conn:
        audited = await conn.fetch(
            "SELECT actor, detail->>'status' AS status FROM catalog.audit_log WHERE action = 'item.status' ORDER BY id"
        )
    assert [(a["actor"], a["status"]) for a in audited][-2:] == [
        ("service:circulation", "on_loan"),
        ("service:circulation", "available"),
    ]


async def test_only_an_admin_or_the_service_sets_an_item_status(http, books, desk, admin):
    barcode = books["9789791680479"][0]
    refused = await http.post(f"/api/catalog/v1/items/{barcode}/status", headers=desk, json={"status": "lost"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    anonymous = await http.post(f"/api/catalog/v1/items/{barcode}/status", json={"status": "lost"})
    assert anonymous.status_code == 401
    done = await http.post(f"/api/catalog/v1/items/{barcode}/status", headers=admin, json={"status": "damaged"})
    assert (done.status_code, done.json()["status"]) == (200, "damaged")
    wrong = await http.post(f"/api/catalog/v1/items/{barcode}/status", headers=admin, json={"status": "gone"})
    assert wrong.status_code == 400


@asynccontextmanager
async def serving(app, port: int):
    """Serve an ASGI app on a loopback port until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
        if task.done():
            task.result()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def own_database(settings, template: str):
    """A database of its own (a copy of the session's template), so that no other relay sends this test's
    outbox."""
    url = await copy_of_template(settings, template, "pustaka_down")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    try:
        async with pool.acquire() as conn:
            await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        yield url, pool
    finally:
        await pool.close()
        await drop_database(server_url(settings), urlparse(url).path.lstrip("/"))


async def test_the_desk_keeps_lending_seen_copies_while_the_catalogue_is_down(settings, template_database):
    catalogue_port, desk_port = _free_port(), _free_port()
    split = msgspec.structs.replace(settings, catalog_url=f"http://127.0.0.1:{catalogue_port}")
    async with own_database(settings, template_database) as (url, pool):
        books = await ingest_books(pool, GONGGANG)
        seen, unseen = books["9789791680479"]
        catalogue = catalog_app(split, url)
        async with (
            serving(circulation_app(split, url), desk_port) as desk_url,
            httpx.AsyncClient(base_url=desk_url, timeout=30) as desk_http,
        ):
            headers = await token_for(desk_http, pool, "sri", "librarian", GONGGANG)
            async with (
                serving(catalogue, catalogue_port) as catalogue_url,
                httpx.AsyncClient(base_url=catalogue_url) as catalogue_http,
            ):
                member = (await register(desk_http, headers))["member_number"]
                await check_out(desk_http, headers, seen, member)  # first sight, while the catalogue is up
                await check_in(desk_http, headers, seen)
                await wait_for_status(catalogue_http, seen, "available", 2.0)

            lent = await check_out(desk_http, headers, seen, member)  # the catalogue is down now
            assert lent.status_code == 201, lent.text
            refused = await check_out(desk_http, headers, unseen, member)
            assert (refused.status_code, refused.json()["code"]) == (503, "catalog_unreachable")
            await asyncio.sleep(1.5)
            async with pool.acquire() as conn:
                waiting = await conn.fetchrow("SELECT status, attempts FROM circulation.catalog_outbox")
                in_catalogue = await conn.fetchval("SELECT status FROM catalog.items WHERE barcode = $1", seen)
            assert (waiting["status"], in_catalogue) == ("on_loan", "available") and waiting["attempts"] >= 1

            async with (
                serving(catalog_app(split, url), catalogue_port) as catalogue_url,
                httpx.AsyncClient(base_url=catalogue_url) as catalogue_http,
            ):
                await wait_for_status(catalogue_http, seen, "on_loan", 8.0)
                assert (await check_out(desk_http, headers, unseen, member)).status_code == 201
                await check_in(desk_http, headers, seen)
                await wait_for_status(catalogue_http, seen, "available", 2.0)
