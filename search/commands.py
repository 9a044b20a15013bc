"""`pustaka reindex` and `pustaka indexer`: the search index from the command line."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import asyncpg
import msgspec

from pustaka.config import Settings
from search import backend_for
from search.indexer import DONE_CHANNEL, Indexer, embedded_listeners, rebuild_from_database, request_reindex


class ReindexReport(msgspec.Struct):
    engine: str
    documents: int | None
    rebuilt: bool
    message: str


async def reindex(settings: Settings, pool: asyncpg.Pool, *, timeout: float = 120.0) -> ReindexReport:
    """Rebuild the index from PostgreSQL, aside, then swap.

    Meilisearch is rebuilt from here. The embedded index is held by the `pustaka up` process:
    that process is asked (NOTIFY) to rebuild itself, and this command waits for its answer.
    """
    backend = backend_for(settings)
    try:
        if backend.name != "embedded":
            count = await rebuild_from_database(pool, backend)
            return ReindexReport(backend.name, count, True, f"rebuilt {count:,} documents in Meilisearch")
        return await _ask_embedded(pool, timeout)
    finally:
        await backend.close()


async def _ask_embedded(pool: asyncpg.Pool, timeout: float) -> ReindexReport:
    async with pool.acquire() as conn:
        if not await embedded_listeners(conn):
            return ReindexReport(
                "embedded",
                None,
                False,
                "no running server holds an embedded index; "
                "`pustaka up` reopens it at start when current, else rebuilds it",
            )
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def done(_conn, _pid, _channel, payload: str) -> None:
            if not answer.done():
                answer.set_result(payload)

        await conn.add_listener(DONE_CHANNEL, done)
        try:
            await request_reindex(conn)
            count = int(await asyncio.wait_for(answer, timeout))
        finally:
            await conn.remove_listener(DONE_CHANNEL, done)
    return ReindexReport("embedded", count, True, f"the running server rebuilt its index: {count:,} documents")


async def run_indexer(settings: Settings, pool: asyncpg.Pool) -> None:
    """Drain the outbox into Meilisearch until SIGTERM or Ctrl-C."""
    backend = backend_for(settings)
    task = asyncio.create_task(Indexer(pool, backend, embedded=False).run())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await backend.close()
