"""How long a search rebuild's stream takes: the documents read from PostgreSQL through the cursor and built,
and a whole rebuild into the embedded index, on the search suites' seed packages (about 3,000 documents).

    .venv/bin/python tests/bench/bench_rebuild.py [--rounds 5]

Prints the median of each over the rounds (a short run: well under a minute)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "search"))

from common import fresh_database  # noqa: E402
from searchdata import PACKAGES, ingest_seed  # noqa: E402

from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from search.documents import all_documents  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.indexer import rebuild_from_database  # noqa: E402


async def stream(conn: asyncpg.Connection) -> int:
    count = 0
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        async for batch in all_documents(conn):
            count += len(batch)
    return count


async def main(rounds: int) -> None:
    async with fresh_database("rebuild") as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        async with pool.acquire() as conn:
            await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
            for library in PACKAGES:
                await ingest_seed(conn, library)
            await conn.execute("DELETE FROM catalog.search_outbox")
        streams, rebuilds, count = [], [], 0
        for _ in range(rounds):
            async with pool.acquire() as conn:
                started = time.perf_counter()
                count = await stream(conn)
                streams.append(time.perf_counter() - started)
            backend = EmbeddedBackend()
            started = time.perf_counter()
            await rebuild_from_database(pool, backend)
            rebuilds.append(time.perf_counter() - started)
            await backend.close()
        await pool.close()
    print(f"{count} documents, {rounds} rounds")
    print(f"stream (read + build): median {statistics.median(streams) * 1000:.1f} ms "
          f"({statistics.median(streams) / count * 1e6:.1f} us a document)")
    print(f"rebuild into the embedded index: median {statistics.median(rebuilds) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
