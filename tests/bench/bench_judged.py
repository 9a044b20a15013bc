"""Judged-query benchmark: how well, and how fast, each engine ranks the judged patron queries.

    .venv/bin/python tests/bench/bench_judged.py            # embedded; Meilisearch too with PUSTAKA_MEILI_URL

Builds the collection of the language suites (the seed packages 35.20.07.2012-TBM1, 35.20.07.1013 and
35.20.12.2010, and tests/search/data/paket-contoh-indonesia.csv in two of those libraries, about 3,000
documents), indexes it in each engine, and scores tests/search/judged_queries.json: success@3, nDCG@10,
the queries missed, and the in-process time per query (p50/p95, 5 rounds). Short by nature (a few
seconds). Writes tests/bench/results/judged.json.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pustaka.config import load_settings  # noqa: E402
from pustaka.database import create_database, drop_database, server_url  # noqa: E402
from pustaka.migrations import migrate  # noqa: E402
from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from search.backend import SearchQuery  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.indexer import rebuild_from_database  # noqa: E402
from search.judging import ndcg_at, success_at  # noqa: E402
from services.catalog.ingest import ingest_package  # noqa: E402

TESTS = ROOT / "tests" / "search"
PACKAGES = ("35.20.07.2012-TBM1", "35.20.07.1013", "35.20.12.2010")
INDONESIAN = TESTS / "data" / "paket-contoh-indonesia.csv"
RESULTS = Path(__file__).resolve().parent / "results"


async def build(url: str) -> asyncpg.Pool:
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        for library in PACKAGES:
            path = next((seeds_dir() / "packages").glob(f"{library}.*"))
            await ingest_package(conn, library=library, data=path.read_bytes(), source_name=path.name, actor="bench")
        for library in PACKAGES[1:]:
            await ingest_package(
                conn, library=library, data=INDONESIAN.read_bytes(), source_name=INDONESIAN.name, actor="bench"
            )
    finally:
        await conn.close()
    return await asyncpg.create_pool(url, min_size=1, max_size=4)


async def score(backend, judged: list[dict]) -> dict:
    successes, gains, misses, times = [], [], [], []
    for judged_query in judged:
        query = SearchQuery(q=judged_query["q"], per_page=10)
        result = await backend.search(query)
        found = [h.isbn13 for h in result.hits]
        successes.append(success_at(found, judged_query["relevant"], 3))
        gains.append(ndcg_at(found, judged_query["relevant"], 10))
        if not successes[-1]:
            misses.append(judged_query["q"])
        for _ in range(5):
            started = time.perf_counter()
            await backend.search(query)
            times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {
        "queries": len(judged),
        "success_at_3": round(sum(successes) / len(successes), 3),
        "ndcg_at_10": round(sum(gains) / len(gains), 3),
        "misses": misses,
        "ms_p50": round(statistics.median(times), 3),
        "ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
    }


async def main() -> dict:
    settings = load_settings(
        {**os.environ, "PUSTAKA_DATA_DIR": os.environ.get("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-test"))}
    )
    server = server_url(settings)
    name = f"pustaka_judged_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = await create_database(server, name)
    judged = json.loads((TESTS / "judged_queries.json").read_text(encoding="utf-8"))["queries"]
    figures: dict = {"when": dt.datetime.now().isoformat(timespec="seconds")}
    try:
        pool = await build(url)
        engines = [EmbeddedBackend()]
        if os.environ.get("PUSTAKA_MEILI_URL"):
            from search.meili import MeiliBackend

            engines.append(
                MeiliBackend(
                    os.environ["PUSTAKA_MEILI_URL"],
                    os.environ.get("PUSTAKA_MEILI_KEY"),
                    index="pustaka_titles_judged_bench",
                )
            )
        for engine in engines:
            figures[engine.name] = {
                "documents": await rebuild_from_database(pool, engine),
                **await score(engine, judged),
            }
        await pool.close()
    finally:
        await drop_database(server, name)
    return figures


if __name__ == "__main__":
    results = asyncio.run(main())
    for engine in ("embedded", "meilisearch"):
        if engine in results:
            f = results[engine]
            print(
                f"{engine:12} {f['queries']} judged queries over {f['documents']:,} documents: "
                f"success@3 {f['success_at_3']:.3f}, nDCG@10 {f['ndcg_at_10']:.3f}, "
                f"p50 {f['ms_p50']:.3f} ms, p95 {f['ms_p95']:.3f} ms; missed {f['misses']}"
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "judged.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
