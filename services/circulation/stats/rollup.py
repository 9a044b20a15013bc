"""Folding the event log into the statistics rollups, incrementally, by an id watermark.

The statistics upkeep's folder drains in the background (upkeep.py; reports never fold, they wait for it);
anonymising and the simulator drain too. A drain is one transaction that
locks the watermark row, so two drains never fold the same events; it folds only events below an id
that no transaction still in flight can be under (see migrations/011_stats.sql).
"""

from __future__ import annotations

import asyncpg

from services.circulation.queries import rollup as q

MAX_BATCH = 200_000
"""Event ids folded per transaction: a backlog (a bulk import, a rebuild) is folded in bounded steps."""


async def _safe_high(conn: asyncpg.Connection) -> int:
    """The highest event id once every event writer in flight has finished."""
    await q.wait_for_writers(conn)
    try:
        return await q.highest(conn) or 0
    finally:
        await q.release_writers(conn)


async def drain(conn: asyncpg.Connection) -> int:
    """Fold every committed event not folded yet; return how many events were folded."""
    total = 0
    while True:
        folded, more = await _drain_step(conn)
        total += folded
        if not more:
            return total


async def _drain_step(conn: asyncpg.Connection) -> tuple[int, bool]:
    seen = await q.watermark(conn)  # a read without a lock: most reads find nothing new
    if seen is not None and not await q.newer(conn, after=seen):
        return 0, False
    async with conn.transaction():
        low = await q.lock_watermark(conn)
        if low is None:  # the tables were emptied (tests truncate them): start from the first event
            await q.create_watermark(conn)
            low = await q.lock_watermark(conn) or 0
        if not await q.newer(conn, after=low):
            return 0, False
        safe = await _safe_high(conn)
        high = min(safe, low + MAX_BATCH)
        status = await q.stage_batch(conn, low=low, high=high)
        count = int(status.split()[-1])
        for step in q.fold_steps:
            await step(conn)
        await q.advance(conn, last_id=high, folded=count)
        await q.drop_stage(conn)
        return count, high < safe


async def drain_pool(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return await drain(conn)


async def rebuild(conn: asyncpg.Connection) -> int:
    """Recompute every rollup from the raw events (the incremental result must be the same)."""
    async with conn.transaction():
        await q.create_watermark(conn)
        await q.lock_watermark(conn)
        await q.clear(conn)
        await q.reset_watermark(conn)
    return await drain(conn)
