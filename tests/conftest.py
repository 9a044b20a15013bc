"""Shared fixtures: a real PostgreSQL (embedded, or the server at PUSTAKA_DATABASE_URL), a fresh database per
test session, per-test truncation, and the whole system served over real HTTP."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn

from kernel.clock import FixedClock
from pustaka.config import Settings, load_settings
from pustaka.database import create_database, drop_database, server_url
from pustaka.migrations import migrate
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from tests.support import make_user, token_for  # noqa: F401  (helpers for the tests)

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA_DIR = ROOT / ".pustaka-test"
SCHEMAS = ("catalog", "circulation")


@pytest.fixture(scope="session")
def settings() -> Settings:
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(TEST_DATA_DIR))
    env["PUSTAKA_JWT_SECRET"] = "test-secret-" + "x" * 40
    env.pop("PUSTAKA_MEILI_URL", None) if not os.environ.get("PUSTAKA_TEST_MEILI") else None
    return load_settings(env)


@pytest.fixture(scope="session")
async def database_url(settings: Settings):
    """A database of its own for this test session, migrated, dropped at the end."""
    server = server_url(settings)
    name = f"pustaka_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = await create_database(server, name)
    conn = await asyncpg.connect(url)
    await migrate(conn)
    await conn.close()
    yield url
    await drop_database(server, name)


@pytest.fixture(scope="session")
async def pool(database_url: str):
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=20)
    yield pool
    await pool.close()


async def truncate_all(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        tables = await conn.fetch(
            "SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = ANY($1)",
            list(SCHEMAS),
        )
        sequences = await conn.fetch(
            "SELECT format('%I.%I', schemaname, sequencename) AS s FROM pg_sequences WHERE schemaname = ANY($1)",
            list(SCHEMAS),
        )
        for attempt in range(5):
            # The session server's background work (outbox relays, indexer) may still be writing: a
            # deadlock with it aborts the TRUNCATE, which is then simply tried again.
            try:
                if tables:
                    await conn.execute("TRUNCATE " + ", ".join(r["t"] for r in tables) + " RESTART IDENTITY CASCADE")
                break
            except asyncpg.DeadlockDetectedError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.1)
        for r in sequences:
            await conn.execute(f"ALTER SEQUENCE {r['s']} RESTART")


@pytest.fixture
async def db(pool: asyncpg.Pool) -> asyncpg.Pool:
    """An empty catalogue and circulation for this test."""
    await truncate_all(pool)
    return pool


@pytest.fixture
async def magetan(db: asyncpg.Pool) -> asyncpg.Pool:
    """The 38 seed libraries of Kabupaten Magetan, with no books yet."""
    async with db.acquire() as conn:
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def system_clock() -> FixedClock:
    """The clock the session's server reads: the real Jakarta time unless a test fixes it (`clock`)."""
    return FixedClock()


@pytest.fixture
def clock(system_clock: FixedClock):
    """The server's clock, for a test to fix (`clock.set(date)`); it runs again after the test."""
    yield system_clock
    system_clock.set(None)


@pytest.fixture(scope="session")
async def server(settings: Settings, database_url: str, system_clock: FixedClock):
    """The whole system served over real HTTP on a free loopback port, as `pustaka up` serves it."""
    from pustaka.runtime import build_app

    port = _free_port()
    config = uvicorn.Config(build_app(settings, database_url, clock=system_clock), host="127.0.0.1", port=port,
                            log_level="warning",
                            lifespan="on")
    uv = uvicorn.Server(config)
    task = asyncio.create_task(uv.serve())
    while not uv.started:
        await asyncio.sleep(0.02)
        if task.done():
            task.result()
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    await task


@pytest.fixture
async def http(server: str):
    async with httpx.AsyncClient(base_url=server, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def meili_server():
    """A real Meilisearch for the session (tests/meiliserver.py); without one, the test fails and says why."""
    from tests.meiliserver import launch, remove

    server = launch()
    if isinstance(server, str):
        pytest.fail(server, pytrace=False)
    yield server
    remove(server)
