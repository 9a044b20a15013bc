"""The rollups folded incrementally (a drain after each burst of events) equal a recomputation from the
raw events, and agree with counts taken straight from the event log."""

import datetime as dt
import random

from services.circulation.stats.rollup import drain, rebuild
from tests.stats.conftest import GONGGANG, SOMBO, wib

TABLES = {
    "stats_daily": "library_code, dim, day, metric, key, n",
    "stats_monthly": "library_code, dim, month, metric, key, n",
    "stats_borrowers": "kind, scope_code, period, member_id, category, gender",
    "stats_loans": "loan_id, library_code, due_date, closed, on_time",
    "stats_titles_used": "library_code, title_id, first_day",
}


async def snapshot(conn):
    found = {}
    for table, columns in TABLES.items():
        rows = await conn.fetch(f"SELECT {columns} FROM circulation.{table} ORDER BY {columns}")
        # a count that went to zero (a correction) may be left as a zero row: it counts nothing
        found[table] = [tuple(r) for r in rows if not (table.endswith("ly") and r["n"] == 0)]
    return found


async def test_incremental_folding_equals_recomputation_from_raw_events(magetan, history, monkeypatch):
    rng = random.Random(7)
    open_loans: list[tuple] = []
    async with magetan.acquire() as conn:
        for _burst in range(6):
            for _ in range(40):
                at = wib("2025-01-01 07:00") + dt.timedelta(hours=rng.randrange(0, 24 * 120), minutes=rng.randrange(60))
                library = rng.choice((GONGGANG, SOMBO))
                member = (rng.randrange(1, 15), rng.choice(("anak", "remaja", "dewasa", "lansia")), rng.choice("LP"))
                title = (rng.randrange(1, 30), rng.choice(("000", "300", "800")), "umum", "fiksi", "ind")
                roll = rng.random()
                if roll < 0.5 or not open_loans:
                    loan = await history.loan(at, library, member, title, at.date() + dt.timedelta(days=14))
                    open_loans.append((loan, library, member, title, at.date() + dt.timedelta(days=14)))
                elif roll < 0.7:
                    loan, library, member, title, due = open_loans[rng.randrange(len(open_loans))]
                    await history.renew(at, library, loan, member, title, due + dt.timedelta(days=7))
                elif roll < 0.9:
                    loan, library, member, title, due = open_loans.pop(rng.randrange(len(open_loans)))
                    await history.give_back(at, library, loan, member, title, due)
                else:
                    await history.event(
                        "visits_recorded",
                        at,
                        library,
                        detail={
                            "date": at.date().isoformat(),
                            "member_visits": rng.randrange(5),
                            "non_member_visits": rng.randrange(5),
                            "by_gender": {},
                            "by_category": {},
                        },
                    )
            assert await drain(conn) == 40
        assert await drain(conn) == 0
        incremental = await snapshot(conn)
        assert await rebuild(conn) == 240
        assert await snapshot(conn) == incremental
        monkeypatch.setattr("services.circulation.stats.rollup.MAX_BATCH", 7)  # a backlog folded in small steps
        assert await rebuild(conn) == 240
        assert await snapshot(conn) == incremental

        # and the rollups agree with counts taken straight from the raw events
        raw = await conn.fetch(
            "SELECT library_code, date_trunc('month', at AT TIME ZONE 'Asia/Jakarta')::date AS month, type,"
            " count(*) AS n, count(DISTINCT member_id) AS members FROM circulation.events"
            " WHERE type IN ('checked_out', 'checked_in', 'renewed') GROUP BY 1, 2, 3"
        )
        rolled = {
            (r["library_code"], r["month"], r["metric"]): r["n"]
            for r in await conn.fetch(
                "SELECT library_code, month, metric, n FROM circulation.stats_monthly WHERE dim = ''"
            )
        }
        metric = {"checked_out": "loans", "checked_in": "returns", "renewed": "renewals"}
        assert raw and all(rolled[(r["library_code"], r["month"], metric[r["type"]])] == r["n"] for r in raw)
        borrowers = {
            (r["library_code"], r["period"]): r["n"]
            for r in await conn.fetch(
                "SELECT scope_code AS library_code, period, count(*) AS n FROM circulation.stats_borrowers"
                " WHERE kind = 'm' AND length(scope_code) > 8 GROUP BY 1, 2"
            )
        }
        assert all(
            borrowers[(r["library_code"], r["month"])] == r["members"] for r in raw if r["type"] == "checked_out"
        )


async def test_an_event_written_while_a_drain_runs_is_folded_exactly_once(magetan, history):
    """A writer that inserted an event before the drain's watermark was read is waited for."""
    import asyncio

    async with magetan.acquire() as writer, magetan.acquire() as drainer:
        await history.loan(
            wib("2025-05-01 10:00"), GONGGANG, (1, "anak", "L"), (1, "800", "anak", "x", "ind"), dt.date(2025, 5, 15)
        )
        tx = writer.transaction()
        await tx.start()
        await writer.execute(
            "INSERT INTO circulation.events (type, actor, library_code, member_id, loan_id, due_date)"
            " VALUES ('checked_out', 'test', $1, 2, 99, '2025-05-20')",
            GONGGANG,
        )
        draining = asyncio.create_task(drain(drainer))
        await asyncio.sleep(0.3)
        assert not draining.done()  # it waits for the writer in flight
        await tx.commit()
        assert await draining == 2
        assert await drain(drainer) == 0


async def test_a_large_backlog_is_folded_in_the_background(magetan, history):
    import asyncio

    from services.circulation.stats.folding import fold_forever

    for n in range(5):
        await history.loan(
            wib("2025-06-02 09:00"), GONGGANG, (n + 1, "anak", "P"), (1, "800", "anak", "x", "ind"), dt.date(2025, 6, 9)
        )
    task = asyncio.create_task(fold_forever(magetan, every=0.05, backlog=5))
    try:
        for _ in range(100):
            async with magetan.acquire() as conn:
                if await conn.fetchval("SELECT folded FROM circulation.stats_watermark") == 5:
                    break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT n FROM circulation.stats_monthly WHERE metric = 'loans' AND dim = ''") == 5
