"""Folding the event log into the statistics rollups, in the background: the only folder of the running
service (statistics reads never fold). A round runs when a reader that found unfolded events wakes it
(see upkeep.py): it folds everything committed. Every EVERY_SECONDS a round folds a large backlog (BACKLOG
events or more: after `pustaka migrate` on a long history, or a bulk import), so that no reader waits for
it; a small one waits for the next reader, who folds it in milliseconds through a round."""

from __future__ import annotations

import asyncpg

from pustaka.rounds import Rounds
from services.circulation.queries import rollup as q
from services.circulation.stats.rollup import drain

EVERY_SECONDS = 10.0
BACKLOG = 10_000


async def fold_backlog(pool: asyncpg.Pool, backlog: int = 1) -> int:
    """Fold the committed events not folded yet, when at least `backlog` wait; return how many were folded."""
    async with pool.acquire() as conn:
        if (await q.backlog(conn) or 0) < backlog:
            return 0
        return await drain(conn)


def folder(pool: asyncpg.Pool, every: float = EVERY_SECONDS, backlog: int = BACKLOG) -> Rounds:
    async def work(asked: bool) -> None:
        await fold_backlog(pool, 1 if asked else backlog)

    return Rounds("stats-folding", work, every)


async def fold_forever(pool: asyncpg.Pool, every: float = EVERY_SECONDS, backlog: int = BACKLOG) -> None:
    """Fold whenever `backlog` events wait, checking every `every` seconds."""
    await folder(pool, every, backlog).run()
