"""Revocable tokens: a token names its user's token version; a token whose version is no longer current
(the user was disabled, moved to another scope, or had the password reset) is refused.

The current version is read through `circulation.current_token_version()` (the staff directory's one
published question, so the catalogue never reads circulation's tables) and kept for `TTL_SECONDS` per user
in each process: a desk scanning all day costs one query per user every few seconds, and a revoked token
stops working within that time (at once in the process that made the change)."""

from __future__ import annotations

import time

import asyncpg

from pustaka.access import Staff
from pustaka.errors import Unauthorized

TTL_SECONDS = 2.0
SERVICE_PREFIX = "service:"
"""Service tokens (one service calling another) name no staff account; they are signed like every token."""
_CURRENT: dict[str, tuple[int | None, float]] = {}
_MAX = 4096


def forget(username: str) -> None:
    """Drop the remembered version of a user whose account just changed in this process."""
    _CURRENT.pop(username, None)


async def ensure_current(pool: asyncpg.Pool, staff: Staff) -> None:
    """Unauthorized (`token_revoked`) when the token's version is not the user's current one."""
    if staff.username.startswith(SERVICE_PREFIX):
        return
    now = time.monotonic()
    known = _CURRENT.get(staff.username)
    if known is None or known[1] <= now:
        async with pool.acquire() as conn:
            version = await conn.fetchval("SELECT circulation.current_token_version($1)", staff.username)
        if len(_CURRENT) >= _MAX:
            _CURRENT.clear()
        known = (version, now + TTL_SECONDS)
        _CURRENT[staff.username] = known
    if known[0] is None or known[0] != staff.version:
        raise Unauthorized("token_revoked", "this token is no longer valid (the account changed); log in again")
