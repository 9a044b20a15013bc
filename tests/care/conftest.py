"""Catalogue-care fixtures: a seed library's real aid package, its librarian, an admin, and helpers."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.circulation.conftest import GONGGANG, SOMBO, ingest_books  # noqa: F401
from tests.search.searchdata import eventually, ingest_seed  # noqa: F401
from tests.support import token_for

CATALOG = "/api/catalog/v1"


@pytest.fixture
async def gonggang(magetan: asyncpg.Pool) -> asyncpg.Pool:
    """Perpustakaan Desa Gonggang with its seed package (1,102 copies of 1,000 titles)."""
    async with magetan.acquire() as conn:
        await ingest_seed(conn, GONGGANG)
    return magetan


@pytest.fixture
async def librarian(http: httpx.AsyncClient, magetan: asyncpg.Pool) -> dict[str, str]:
    return await token_for(http, magetan, "sri", "librarian", GONGGANG)


@pytest.fixture
async def admin(http: httpx.AsyncClient, magetan: asyncpg.Pool) -> dict[str, str]:
    return await token_for(http, magetan, "root", "admin")


async def copies(pool: asyncpg.Pool, library: str) -> list[dict]:
    """The library's copies in shelf order (call number, then barcode)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT i.barcode, i.call_number, i.status, t.isbn13, t.title FROM catalog.items i "
            "JOIN catalog.titles t ON t.id = i.title_id WHERE i.library_code = $1 "
            "ORDER BY i.call_number, i.barcode",
            library,
        )
    return [dict(r) for r in rows]


async def replica_status(pool: asyncpg.Pool, barcode: str) -> tuple[str, str | None] | None:
    """What circulation's copies replica says of a copy (status, DDC class)."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT status, ddc_class FROM circulation.copies WHERE barcode = $1", barcode)
    return (row["status"], row["ddc_class"]) if row else None
