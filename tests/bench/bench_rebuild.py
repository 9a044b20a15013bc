"""How long a search rebuild's stream takes: the documents read from PostgreSQL through the cursor and built,
and a whole rebuild into the embedded index, on the search suites' seed packages (about 3,000 documents).

    .venv/bin/python tests/bench/bench_rebuild.py [--rounds 5]

Also times, on the same records in memory, turning them into `DocumentRow`s by position (what the rebuild does)
and by name (`msgspec.convert`), against building the documents from them. Prints the median of each over the
rounds (a short run: well under a minute)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import asyncpg
import msgspec

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "search"))

from common import fresh_database  # noqa: E402
from searchdata import PACKAGES, ingest_seed  # noqa: E402

from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from search.documents import DocumentRow, all_documents, document_from_row, every_document  # noqa: E402
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
            async with conn.transaction():
                records = await conn.fetch(every_document.sql.text)
        by_position, by_name, built = [], [], []
        for _ in range(rounds * 4):
            started = time.perf_counter()
            rows = [DocumentRow(*r) for r in records]
            by_position.append(time.perf_counter() - started)
            started = time.perf_counter()
            [msgspec.convert(dict(r), DocumentRow) for r in records]
            by_name.append(time.perf_counter() - started)
            started = time.perf_counter()
            [document_from_row(r) for r in rows]
            built.append(time.perf_counter() - started)
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
    print(
        f"stream (read + build): median {statistics.median(streams) * 1000:.1f} ms "
        f"({statistics.median(streams) / count * 1e6:.1f} us a document)"
    )
    per_document = {
        name: statistics.median(t) / len(records) * 1e6
        for name, t in (("by_position", by_position), ("by_name", by_name), ("built", built))
    }
    print(
        f"records to DocumentRow: by position {per_document['by_position']:.2f} us a document, "
        f"by name (msgspec.convert of a dict) {per_document['by_name']:.2f} us; "
        f"building the TitleDocument {per_document['built']:.1f} us"
    )
    print(f"rebuild into the embedded index: median {statistics.median(rebuilds) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
