"""Circulation fixtures: a library with real books (tests/data/circulation_books.csv), desk staff, members."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import httpx
import pytest

from services.catalog.ingest import ingest_package
from tests.support import token_for

GONGGANG = "35.20.01.2002"
SOMBO = "35.20.01.2008"
BOOKS = Path(__file__).resolve().parents[1] / "data" / "circulation_books.csv"
API = "/api/circulation/v1"


async def ingest_books(pool: asyncpg.Pool, library: str) -> dict[str, list[str]]:
    """Ingest the test manifest into a library; ISBN-13 -> the barcodes of its copies there."""
    async with pool.acquire() as conn:
        await ingest_package(conn, library=library, data=BOOKS.read_bytes(), source_name=BOOKS.name, actor="test")
        rows = await conn.fetch(
            "SELECT t.isbn13, i.barcode FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id "
            "WHERE i.library_code = $1 ORDER BY i.barcode",
            library,
        )
    copies: dict[str, list[str]] = {}
    for r in rows:
        copies.setdefault(r["isbn13"], []).append(r["barcode"])
    return copies


@pytest.fixture
async def books(magetan: asyncpg.Pool) -> dict[str, list[str]]:
    """The eight test titles (12 copies) in Perpustakaan Desa Gonggang."""
    return await ingest_books(magetan, GONGGANG)


@pytest.fixture
async def desk(http: httpx.AsyncClient, magetan: asyncpg.Pool) -> dict[str, str]:
    """The Authorization header of Gonggang's librarian."""
    return await token_for(http, magetan, "sri", "librarian", GONGGANG)


@pytest.fixture
async def admin(http: httpx.AsyncClient, magetan: asyncpg.Pool) -> dict[str, str]:
    return await token_for(http, magetan, "root", "admin")


async def register(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    name: str = "Siti Aminah",
    library: str = GONGGANG,
    birth_year: int = 1990,
    gender: str = "P",
    **extra,
) -> dict:
    """Register a member over HTTP and return the answer."""
    answer = await http.post(
        f"{API}/members",
        headers=headers,
        json={"name": name, "library": library, "birth_year": birth_year, "gender": gender, **extra},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def check_out(
    http: httpx.AsyncClient, headers: dict[str, str], barcode: str, member: str, **kwargs
) -> httpx.Response:
    return await http.post(
        f"{API}/loans", headers=headers, json={"item_barcode": barcode, "member_number": member}, **kwargs
    )


async def check_in(http: httpx.AsyncClient, headers: dict[str, str], barcode: str) -> httpx.Response:
    return await http.post(f"{API}/returns", headers=headers, json={"item_barcode": barcode})


@pytest.fixture
async def circulation(server: str, settings, pool: asyncpg.Pool, clock):
    """The circulation service as its use cases see it, without HTTP: the test database's pool, the catalogue
    of the session's server (its typed client), and the test's clock (`clock.set(date)` fixes the day)."""
    from services.circulation.clients.catalog import CatalogClient
    from services.circulation.service import Circulation

    catalog = CatalogClient.over_http(server, settings)
    service = Circulation(pool, catalog, clock)
    yield service
    await service.aclose()
    await catalog.aclose()
