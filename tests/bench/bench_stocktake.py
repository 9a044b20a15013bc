"""Stock-take benchmark: a seed library's stock-take of 1,000 scans, from start (the snapshot) through the
scans (in batches of 50, as the desk page sends them) to finish (the report, kept with the stock-take), in
process against a real PostgreSQL. Run: `.venv/bin/python tests/bench/bench_stocktake.py [--short]`."""

from __future__ import annotations

import asyncio
import sys
import time

import asyncpg
from common import fresh_database, save, summary

from pustaka.access import Staff
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from services.catalog import stocktake
from services.catalog.ingest import ingest_package
from services.catalog.service import Catalogue

LIBRARY = "35.20.01.2002"
RUNS = 3 if "--short" in sys.argv else 9
SCANS, BATCH = 1000, 50
STAFF = Staff("bench", "admin", None)


async def one_run(pool: asyncpg.Pool, shelf: list[str]) -> dict[str, float]:
    async with pool.acquire() as conn:
        await conn.execute("TRUNCATE catalog.stocktake_scans, catalog.stocktake_expected, catalog.stocktakes")
    catalogue = Catalogue(pool)
    t0 = time.perf_counter()
    started = await stocktake.start(catalogue, STAFF, LIBRARY)
    t1 = time.perf_counter()
    for i in range(0, SCANS, BATCH):
        await stocktake.scan(catalogue, STAFF, started.id, shelf[i : i + BATCH], "rak 1")
    t2 = time.perf_counter()
    report = await stocktake.finish(catalogue, STAFF, started.id, False)
    t3 = time.perf_counter()
    assert report.found == SCANS and len(report.missing) == len(shelf) - SCANS
    return {
        "start_ms": (t1 - t0) * 1000,
        "scans_ms": (t2 - t1) * 1000,
        "finish_ms": (t3 - t2) * 1000,
        "total_ms": (t3 - t0) * 1000,
    }


async def main() -> None:
    async with fresh_database("stocktake") as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        async with pool.acquire() as conn:
            await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
            path = next((seeds_dir() / "packages").glob(f"{LIBRARY}.*"))
            await ingest_package(conn, library=LIBRARY, data=path.read_bytes(), source_name=path.name, actor="bench")
            shelf = [
                r["barcode"]
                for r in await conn.fetch(
                    "SELECT barcode FROM catalog.items WHERE library_code = $1 ORDER BY call_number, barcode", LIBRARY
                )
            ]
        runs = [await one_run(pool, shelf) for _ in range(RUNS)]
        await pool.close()
    result = {"library": LIBRARY, "copies": len(shelf), "scans": SCANS, "batch": BATCH, "runs": RUNS}
    for key in ("start_ms", "scans_ms", "finish_ms", "total_ms"):
        result[key] = summary([r[key] for r in runs])
    save("stocktake", result)


if __name__ == "__main__":
    asyncio.run(main())
