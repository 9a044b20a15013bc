"""Loading `seeds/`: Magetan's recipient libraries and their aid-package manifests (idempotent)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import asyncpg

from services.catalog.ingest import IngestReport, ingest_package
from services.catalog.libraries import upsert_libraries

SEED_ACTOR = "seed"
SEED_WORKERS = 2  # titles are inserted in ISBN order, so parallel packages never deadlock


def seeds_dir() -> Path:
    return Path(os.environ.get("PUSTAKA_SEEDS_DIR") or Path(__file__).resolve().parents[1] / "seeds")


def read_libraries(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


async def load_libraries(conn: asyncpg.Connection, rows: list[dict[str, str]]) -> int:
    return await upsert_libraries(conn, rows)


def read_package_index(folder: Path) -> list[dict[str, str]]:
    with (folder / "packages" / "index.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


async def seed(
    pool: asyncpg.Pool, *, libraries_only: bool = False, on_package: Callable[[IngestReport], None] | None = None
) -> list[IngestReport]:
    """Upsert the libraries and ingest every seed package not yet ingested."""
    folder = seeds_dir()
    async with pool.acquire() as conn:
        await load_libraries(conn, read_libraries(folder / "libraries.csv"))
    if libraries_only:
        return []
    gate = asyncio.Semaphore(SEED_WORKERS)

    async def one(entry: dict[str, str]) -> IngestReport:
        path = folder / "packages" / entry["file"]
        async with gate, pool.acquire() as conn:
            report = await ingest_package(
                conn,
                library=entry["library"],
                data=path.read_bytes(),
                source_name=path.name,
                actor=SEED_ACTOR,
                program_year=int(entry["program_year"]),
                received_on=dt.date.fromisoformat(entry["received_on"]),
            )
        if on_package:
            on_package(report)
        return report

    return list(await asyncio.gather(*(one(e) for e in read_package_index(folder))))
