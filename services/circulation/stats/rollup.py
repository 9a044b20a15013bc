"""Folding the event log into the statistics rollups, incrementally, by an id watermark.

The statistics upkeep's folder drains in the background (upkeep.py; reports never fold, they wait for it);
anonymising and the simulator drain too. A drain is one transaction that
locks the watermark row, so two drains never fold the same events; it folds only events below an id
that no transaction still in flight can be under (see migrations/011_stats.sql).
"""

from __future__ import annotations

import asyncpg

from pustaka.sql import load

Q = load(__file__, "rollup.sql")
MAX_BATCH = 200_000
"""Event ids folded per transaction: a backlog (a bulk import, a rebuild) is folded in bounded steps."""
_STEPS = ("stage_delta", "stage_loans", "delta_loans", "upsert_loans", "fold_daily", "fold_monthly",
          "fold_borrowers", "fold_titles_used", "fold_title_daily", "fold_title_monthly")


async def _safe_high(conn: asyncpg.Connection) -> int:
    """The highest event id once every event writer in flight has finished."""
    await conn.execute(Q.wait_for_writers)
    try:
        return await conn.fetchval(Q.highest)
    finally:
        await conn.execute(Q.release_writers)


async def drain(conn: asyncpg.Connection) -> int:
    """Fold every committed event not folded yet; return how many events were folded."""
    total = 0
    while True:
        folded, more = await _drain_step(conn)
        total += folded
        if not more:
            return total


async def _drain_step(conn: asyncpg.Connection) -> tuple[int, bool]:
    seen = await conn.fetchval(Q.watermark)  # a read without a lock: most reads find nothing new
    if seen is not None and not await conn.fetchval(Q.newer, seen):
        return 0, False
    async with conn.transaction():
        low = await conn.fetchval(Q.lock_watermark)
        if low is None:  # the tables were emptied (tests truncate them): start from the first event
            await conn.execute(Q.create_watermark)
            low = await conn.fetchval(Q.lock_watermark)
        if not await conn.fetchval(Q.newer, low):
            return 0, False
        safe = await _safe_high(conn)
        high = min(safe, low + MAX_BATCH)
        status = await conn.execute(Q.stage_batch, low, high)
        count = int(status.split()[-1])
        for step in _STEPS:
            await conn.execute(getattr(Q, step))
        await conn.execute(Q.advance, high, count)
        await conn.execute(Q.drop_stage)
        return count, high < safe


async def drain_pool(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return await drain(conn)


async def rebuild(conn: asyncpg.Connection) -> int:
    """Recompute every rollup from the raw events (the incremental result must be the same)."""
    async with conn.transaction():
        await conn.execute(Q.create_watermark)
        await conn.fetchval(Q.lock_watermark)
        await conn.execute(Q.clear)
        await conn.execute(Q.reset_watermark)
    return await drain(conn)
