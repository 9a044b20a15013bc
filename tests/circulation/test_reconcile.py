"""After a restart, circulation and the catalogue agree again on every copy's status, whatever a crash or a
restored backup left behind; and circulation remembers what it last told the catalogue."""

from __future__ import annotations

import asyncio
import time

import httpx

from pustaka.runtime import build_app
from tests.circulation.conftest import GONGGANG, check_out, ingest_books, register
from tests.circulation.test_catalog_sync import own_database, serving, wait_for_status
from tests.inprocess import free_port as _free_port
from tests.support import token_for


async def _catalog_status_in_circulation(pool, barcode: str, expected: str, limit: float) -> None:
    started = time.monotonic()
    while True:
        async with pool.acquire() as conn:
            seen = await conn.fetchval("SELECT catalog_status FROM circulation.copies WHERE barcode = $1", barcode)
        if seen == expected:
            return
        assert time.monotonic() - started < limit, f"circulation still believes the catalogue says {seen}"
        await asyncio.sleep(0.05)


async def test_a_catalogue_restored_from_an_old_backup_is_set_right_at_the_next_start(settings, template_database):
    async with own_database(settings, template_database) as (url, pool):
        books = await ingest_books(pool, GONGGANG)
        barcode = books["9789791680479"][0]
        async with (
            serving(build_app(settings, url), _free_port()) as base,
            httpx.AsyncClient(base_url=base, timeout=30) as http,
        ):
            desk = await token_for(http, pool, "sri", "librarian", GONGGANG)
            member = (await register(http, desk))["member_number"]
            assert (await check_out(http, desk, barcode, member)).status_code == 201
            await wait_for_status(http, barcode, "on_loan", 2.0)
            await _catalog_status_in_circulation(pool, barcode, "on_loan", 2.0)
        async with pool.acquire() as conn:  # the catalogue comes back from a backup taken before the loan
            await conn.execute("UPDATE catalog.items SET status = 'available' WHERE barcode = $1", barcode)

        async with (
            serving(build_app(settings, url), _free_port()) as base,
            httpx.AsyncClient(base_url=base, timeout=30) as http,
        ):
            await wait_for_status(http, barcode, "on_loan", 8.0)
            await _catalog_status_in_circulation(pool, barcode, "on_loan", 2.0)
