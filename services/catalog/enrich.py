"""Online ISBN look-ups, only when PUSTAKA_ISBN_LOOKUP names an isbnlib service.

They run in the background after ingest, one ISBN at a time with a timeout; every answer (found, not
found or failed) is kept in `catalog.isbn_lookups`, so an ISBN is asked for once. They fill only what a
manifest left empty, and never overwrite it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import isbnlib
from litestar import Litestar

from pustaka.config import Settings
from pustaka.workers import is_reader
from services.catalog.queries import enrich as q

log = logging.getLogger("pustaka.enrich")
_LANGUAGES = {"id": "ind", "in": "ind", "en": "eng", "jv": "jav", "ms": "msa", "ar": "ara"}


def facts(metadata: dict) -> tuple[str | None, int | None, str | None]:
    """Publisher, year and language from an isbnlib metadata record."""
    publisher = (metadata.get("Publisher") or "").strip() or None
    match = re.search(r"\b(1[4-9]\d\d|20\d\d)\b", str(metadata.get("Year") or ""))
    language = _LANGUAGES.get(str(metadata.get("Language") or "").strip().lower()[:2])
    return publisher, int(match[1]) if match else None, language


async def look_up(isbn13: str, service: str, timeout: float) -> dict:
    """Ask the service, off the event loop; a slow service is abandoned after `timeout` seconds."""
    return await asyncio.wait_for(asyncio.to_thread(isbnlib.meta, isbn13, service), timeout)


async def enrich_batch(pool: asyncpg.Pool, service: str, timeout: float, batch: int = 20) -> int:
    """Look up one batch of titles; return how many were looked up."""
    async with pool.acquire() as conn:
        pending = await q.titles_to_look_up(conn, batch=batch)
    for row in pending:
        try:
            metadata = await look_up(row.isbn13, service, timeout) or {}
            error = None
        except Exception as exc:  # any failure of a remote service is remembered, not raised
            metadata, error = {}, (type(exc).__name__ + (f": {exc}" if str(exc) else ""))[:500]
        async with pool.acquire() as conn, conn.transaction():
            await q.remember_lookup(
                conn,
                isbn13=row.isbn13,
                service=service,
                found=bool(metadata),
                metadata=json.dumps(metadata, default=str) if metadata else None,
                error=error,
            )
            if metadata:  # a trigger of 002_search.sql queues the changed title for the search index
                publisher, year, language = facts(metadata)
                await q.fill_from_lookup(conn, title_id=row.id, publisher=publisher, year=year, language=language)
    return len(pending)


async def run_enricher(pool: asyncpg.Pool, service: str, timeout: float, idle_seconds: float = 30.0) -> None:
    """Keep looking up new titles until cancelled."""
    while True:
        try:
            done = await enrich_batch(pool, service, timeout)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("ISBN look-ups paused: %s", exc)
            done = 0
        if not done:
            await asyncio.sleep(idle_seconds)


def enrich_lifespan(settings: Settings):
    """Run the look-ups in the background of the catalogue app, only when a service is configured."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.isbn_lookup is None or is_reader():  # a reader of `pustaka up --workers N`: the writer looks up
            yield
            return
        task = asyncio.create_task(run_enricher(app.state.pool, settings.isbn_lookup, settings.isbn_lookup_timeout))
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    return lifespan
