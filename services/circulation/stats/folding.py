"""Folding a large backlog of events in the background (after `pustaka migrate` on a database with a long
history, or a bulk import), so that no statistics request has to fold it. A small backlog is left to
the next read, which folds it in milliseconds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar

from pustaka.workers import is_reader
from services.circulation.stats.rollup import Q, drain

log = logging.getLogger("pustaka.stats")
EVERY_SECONDS = 10.0
BACKLOG = 10_000
"""Events waiting before the background folds them; fewer are folded by the next read."""


async def fold_forever(pool, every: float = EVERY_SECONDS, backlog: int = BACKLOG) -> None:
    while True:
        try:
            async with pool.acquire() as conn:
                waiting = await conn.fetchval(Q.backlog)
                if waiting >= backlog:
                    log.info("folding %d events into the statistics rollups", await drain(conn))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next round; reads fold what is left
            log.exception("folding events into the statistics rollups failed")
        await asyncio.sleep(every)


def stats_folding():
    """A lifespan hook (after the pool's) that folds large backlogs in the background."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if is_reader():  # a reader of `pustaka up --workers N`: the writer folds
            yield
            return
        task = asyncio.create_task(fold_forever(app.state.pool), name="stats-folding")
        try:
            yield
        finally:
            task.cancel()

    return lifespan
