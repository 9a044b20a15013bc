"""Ingest benchmark: one 1000-title manifest in process (with where the time goes) and through the CLI,
and all 38 seed packages. Run: `.venv/bin/python tests/bench/bench_ingest.py`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import asyncpg
from common import ROOT, fresh_database, save, summary

from pustaka.seeding import load_libraries, read_libraries, read_package_index, seed, seeds_dir
from services.catalog.domain.manifest import read_manifest
from services.catalog.ingest import check_manifest, ingest_package

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TABLES = "catalog.items, catalog.rejections, catalog.search_outbox, catalog.packages, catalog.titles, catalog.audit_log"


async def reset(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        await conn.execute("VACUUM ANALYZE catalog.titles")


def phases(data: bytes) -> dict[str, float]:
    t0 = time.perf_counter()
    manifest = read_manifest(data)
    t1 = time.perf_counter()
    check_manifest(manifest)
    t2 = time.perf_counter()
    return {"read_ms": (t1 - t0) * 1000, "validate_ms": (t2 - t1) * 1000}


async def in_process(pool, library: str, data: bytes, name: str) -> dict:
    samples, parts = [], []
    for _ in range(RUNS):
        await reset(pool)
        parts.append(phases(data))
        async with pool.acquire() as conn:
            start = time.perf_counter()
            await ingest_package(conn, library=library, data=data, source_name=name, actor="bench")
            samples.append((time.perf_counter() - start) * 1000)
    result = summary(samples)
    for key in ("read_ms", "validate_ms"):
        result[f"{key}_median"] = round(sorted(p[key] for p in parts)[len(parts) // 2], 2)
    result["store_ms_median"] = round(result["median_ms"] - result["read_ms_median"] - result["validate_ms_median"], 2)
    return result


async def through_cli(pool, url: str, library: str, path) -> dict:
    env = {**os.environ, "PUSTAKA_DATABASE_URL": url}
    samples = []
    for _ in range(max(5, RUNS // 2)):
        await reset(pool)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pustaka", "ingest", str(path), "--library", library, "--json"],
            env=env,
            capture_output=True,
            cwd=ROOT,
        )
        samples.append((time.perf_counter() - start) * 1000)
        assert done.returncode in (0, 1), done.stderr.decode()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pustaka.cli"], check=True, cwd=ROOT)
    result = summary(samples)
    result["python_import_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


async def all_seeds(pool) -> dict:
    samples = []
    for _ in range(3):
        await reset(pool)
        start = time.perf_counter()
        reports = await seed(pool)
        samples.append((time.perf_counter() - start) * 1000)
    result = summary(samples)
    result["packages"] = len(reports)
    result["items"] = sum(r.items_created for r in reports)
    return result


async def main() -> None:
    entry = next(e for e in read_package_index(seeds_dir()) if e["file"].endswith(".csv"))
    path = seeds_dir() / "packages" / entry["file"]
    async with fresh_database() as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
        async with pool.acquire() as conn:
            await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        result = {
            "manifest": entry["file"],
            "in_process": await in_process(pool, entry["library"], path.read_bytes(), path.name),
            "cli": await through_cli(pool, url, entry["library"], path),
            "all_38_seed_packages": await all_seeds(pool),
            "bars": {"in_process_ms": 200, "cli_ms": 1000, "all_38_ms": 10000},
        }
        await pool.close()
    save("ingest", result)


if __name__ == "__main__":
    asyncio.run(main())
