"""The library directory: Magetan's recipient libraries (or any kabupaten's), upserted by code."""

from __future__ import annotations

import asyncpg

from services.catalog.queries import catalogue as q

LIBRARY_COLUMNS = (
    "code",
    "name",
    "kind",
    "village",
    "kecamatan_code",
    "kecamatan",
    "kabupaten_code",
    "kabupaten",
    "province",
)


async def upsert_libraries(conn: asyncpg.Connection, rows: list[dict[str, str]]) -> int:
    """Insert or update libraries given as rows with LIBRARY_COLUMNS; return how many."""
    await q.upsert_libraries(conn, **{c: [r[c] for r in rows] for c in LIBRARY_COLUMNS})
    return len(rows)
