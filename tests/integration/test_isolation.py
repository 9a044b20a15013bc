"""The tests' isolation holds: a module's database is a copy of the session's template, and a paused
server keeps no connection to it (so emptying it takes no lock anyone else holds), then serves again."""

from __future__ import annotations

from tests.databases import TESTS_APPLICATION

OTHERS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND application_name <> $1 AND pid <> pg_backend_pid()"
)


async def test_a_paused_server_keeps_no_connection_and_serves_again_when_resumed(http, servers, pool):
    [running] = servers
    async with pool.acquire() as conn:
        assert await conn.fetchval(OTHERS, TESTS_APPLICATION) > 0  # the server's pools and its indexer
        await running.pause()
        try:
            assert await conn.fetchval(OTHERS, TESTS_APPLICATION) == 0
        finally:
            await running.resume()
        assert await conn.fetchval(OTHERS, TESTS_APPLICATION) > 0
    health = await http.get("/api/catalog/health")
    assert (health.status_code, health.json()["search"]) == (200, "ready")
    assert (await http.get("/api/catalog/v1/libraries")).json() == []


async def test_the_modules_database_is_a_copy_of_the_template_that_nobody_holds_open(pool, template_database):
    async with pool.acquire() as conn:
        name = await conn.fetchval("SELECT current_database()")
        assert name != template_database
        assert await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname IN ('catalog', 'circulation')") > 0
        assert await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", template_database) == 0
