"""Shared fixtures: a real PostgreSQL (embedded, or the server at PUSTAKA_DATABASE_URL), a database per test
module, an empty database per test, and the whole system served over real HTTP.

Isolation: once per session a template database is created and migrated; each test module gets its own
copy of it (`CREATE DATABASE ... TEMPLATE`: PostgreSQL copies the files, no migration runs again) and, when
it asks for `server`/`http`, its own server on that copy, stopped at the module's end, so no background
worker of one module ever writes into another's database. Within a module, `db` empties the tables for
each test while the module's servers are paused (their background work stopped: tests/inprocess.py), so
nothing else holds a lock on them.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx
import pytest

from kernel.clock import FixedClock
from pustaka.config import Settings, load_settings
from pustaka.database import drop_database, server_url, with_database
from pustaka.migrations import migrate
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from tests.databases import TESTS_APPLICATION, Dropper, copy_of_template, unique_name
from tests.inprocess import InProcessServer, serve
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
async def template_database(settings: Settings):
    """The name of a database migrated once for the session, which every module's database copies.
    Nobody stays connected to it: `CREATE DATABASE ... TEMPLATE` refuses a template in use."""
    server = server_url(settings)
    name = unique_name("pustaka_template")
    admin = await asyncpg.connect(with_database(server, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(with_database(server, name))
    try:
        await migrate(conn)
    finally:
        await conn.close()
    yield name
    await drop_database(server, name)


@pytest.fixture(scope="session")
async def dropper(settings: Settings):
    dropper = Dropper(server_url(settings))
    yield dropper
    await dropper.finish()


@pytest.fixture(scope="module")
async def database_url(settings: Settings, template_database: str, dropper: Dropper):
    """This module's own database, a copy of the template, dropped after the module's end."""
    url = await copy_of_template(settings, template_database)
    yield url
    dropper.drop(url)


@pytest.fixture(scope="module")
async def pool(database_url: str):
    pool = await asyncpg.create_pool(
        database_url, min_size=2, max_size=20, server_settings={"application_name": TESTS_APPLICATION}
    )
    yield pool
    await pool.close()


@pytest.fixture(scope="module")
def servers() -> list[InProcessServer]:
    """The in-process servers running on this module's database (`db` pauses them while it empties it)."""
    return []


async def truncate_all(pool: asyncpg.Pool) -> None:
    """Empty every table and restart every sequence. Only with nothing else connected to the database
    (the module's servers paused): it is then the only one taking locks."""
    async with pool.acquire() as conn:
        tables = await conn.fetch(
            "SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = ANY($1)",
            list(SCHEMAS),
        )
        sequences = await conn.fetch(
            "SELECT format('%I.%I', schemaname, sequencename) AS s FROM pg_sequences WHERE schemaname = ANY($1)",
            list(SCHEMAS),
        )
        async with conn.transaction():
            if tables:
                await conn.execute("TRUNCATE " + ", ".join(r["t"] for r in tables) + " RESTART IDENTITY CASCADE")
            for r in sequences:
                await conn.execute(f"ALTER SEQUENCE {r['s']} RESTART")


@pytest.fixture
def empty_database(pool: asyncpg.Pool, servers: list[InProcessServer]) -> Callable[[], Awaitable[None]]:
    """Empty the module's database, its servers paused meanwhile and started again after."""

    async def empty() -> None:
        running = [s for s in servers if not s.paused]
        for server in running:
            await server.pause()
        try:
            await truncate_all(pool)
        finally:
            for server in running:
                await server.resume()

    return empty


@pytest.fixture
async def db(pool: asyncpg.Pool, empty_database) -> asyncpg.Pool:
    """An empty catalogue and circulation for this test."""
    await empty_database()
    return pool


@pytest.fixture
async def magetan(db: asyncpg.Pool) -> asyncpg.Pool:
    """The 38 seed libraries of Kabupaten Magetan, with no books yet."""
    async with db.acquire() as conn:
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
    return db


@pytest.fixture(scope="session")
def system_clock() -> FixedClock:
    """The clock the servers of the session read: the real Jakarta time unless a test fixes it (`clock`)."""
    return FixedClock()


@pytest.fixture
def clock(system_clock: FixedClock):
    """The servers' clock, for a test to fix (`clock.set(date)`); it runs again after the test."""
    yield system_clock
    system_clock.set(None)


@pytest.fixture(scope="module")
async def server(settings: Settings, database_url: str, servers: list[InProcessServer], system_clock: FixedClock):
    """The whole system served over real HTTP on a free loopback port, as `pustaka up` serves it, on this
    module's database; stopped at the module's end."""
    from pustaka.runtime import build_app

    running = await serve(build_app(settings, database_url, clock=system_clock), servers)
    yield running.url
    await running.stop()


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
