"""Helpers the tests share: staff users and their tokens."""

from __future__ import annotations

import asyncpg
import httpx


async def make_user(pool: asyncpg.Pool, username: str, role: str, scope: str | None) -> None:
    from services.circulation.staff import add_user

    async with pool.acquire() as conn:
        await add_user(conn, username=username, password="rahasia-" + username, role=role, scope=scope, actor="test")


async def token_for(
    http: httpx.AsyncClient, pool: asyncpg.Pool, username: str, role: str, scope: str | None = None
) -> dict[str, str]:
    """Create a staff user, log in over HTTP, and return the Authorization header."""
    await make_user(pool, username, role, scope)
    answer = await http.post(
        "/api/circulation/v1/auth/login", json={"username": username, "password": "rahasia-" + username}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
