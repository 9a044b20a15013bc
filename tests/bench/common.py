"""Shared set-up for the benchmarks: a real PostgreSQL (embedded or PUSTAKA_DATABASE_URL), a fresh database."""

from __future__ import annotations

import json
import os
import statistics
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from pustaka.config import load_settings
from pustaka.database import create_database, drop_database, server_url
from pustaka.migrations import migrate

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"


def settings():
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-bench"))
    return load_settings(env)


@asynccontextmanager
async def fresh_database(prefix: str = "bench"):
    """A migrated database of its own, dropped afterwards; yields its URL."""
    server = server_url(settings())
    name = f"pustaka_{prefix}_{uuid.uuid4().hex[:8]}"
    url = await create_database(server, name)
    conn = await asyncpg.connect(url)
    await migrate(conn)
    await conn.close()
    try:
        yield url
    finally:
        await drop_database(server, name)


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p(0.95), 2),
        "p99_ms": round(p(0.99), 2),
        "min_ms": round(ordered[0], 2),
    }


def save(name: str, result: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
