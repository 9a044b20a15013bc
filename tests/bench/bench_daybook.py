"""Day book benchmark: today's transactions and the day summary of one library, read from an event log of a
busy district (default 400,000 events: 38 libraries over a year), as the desk asks for them after every scan.

Run: `.venv/bin/python tests/bench/bench_daybook.py`  (BENCH_EVENTS, BENCH_ROUNDS; short mode: BENCH_EVENTS=50000)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, save, summary  # noqa: E402

from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from services.circulation import daybook  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "400000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
LIBRARY = "35.20.01.2002"
DAY = dt.date(2026, 6, 15)

# Events spread over 38 libraries and 365 days; loans, returns and renewals, as the simulation writes them.
FILL = """
INSERT INTO circulation.events (at, type, actor, library_code, barcode)
SELECT timestamptz '2026-01-01 08:00+07' + (n % 365) * interval '1 day' + (n % 480) * interval '1 minute',
       (ARRAY['checked_out', 'checked_in', 'renewed', 'hold_placed'])[1 + n % 4], 'bench',
       (SELECT array_agg(code ORDER BY code) FROM unnest($2::text[]) AS code)[1 + n % array_length($2::text[], 1)],
       lpad((n % 1000)::text, 12, '0')
FROM generate_series(1, $1) AS n
"""


async def timed(conn: asyncpg.Connection, call) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await call(conn)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def main() -> None:
    async with fresh_database("daybook") as url:
        conn = await asyncpg.connect(url)
        libraries = read_libraries(seeds_dir() / "libraries.csv")
        await load_libraries(conn, libraries)
        await conn.execute(FILL, EVENTS, [lib["code"] for lib in libraries])
        await conn.execute("ANALYZE circulation.events")
        day = await daybook.transactions(conn, LIBRARY, DAY)
        transactions = await timed(conn, lambda c: daybook.transactions(c, LIBRARY, DAY))
        summaries = await timed(conn, lambda c: daybook.summary(c, LIBRARY, DAY))
        await conn.close()
    save(
        "daybook",
        {
            "events": EVENTS,
            "rows_that_day": len(day.transactions),
            "transactions": summary(transactions),
            "day_summary": summary(summaries),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
