"""Staff accounts: adding users, and password login (argon2) rate-limited per user name."""

from __future__ import annotations

import json

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pustaka.access import Staff, validate_scope
from pustaka.errors import Invalid, TooManyRequests, Unauthorized
from pustaka.sql import load

Q = load(__file__, "staff.sql")
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
# Verifying against a throw-away hash when the user does not exist keeps the timing the same.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


async def add_user(conn: asyncpg.Connection, *, username: str, password: str, role: str, scope: str | None,
                   actor: str) -> Staff:
    """Create (or reset) a staff account; the password is stored only as an argon2 hash."""
    try:
        scope = validate_scope(role, scope)
    except ValueError as exc:
        raise Invalid("scope_invalid", str(exc), field="scope") from None
    if len(password) < MIN_PASSWORD:
        raise Invalid("password_too_short", f"the password must be at least {MIN_PASSWORD} characters",
                      field="password")
    username = username.strip().lower()
    try:
        await conn.execute(Q.upsert_staff_user, username, _HASHER.hash(password), role, scope)
    except asyncpg.CheckViolationError:
        raise Invalid("username_invalid", "a user name is 2-64 characters: a-z, 0-9, '.', '_' or '-'",
                      field="username") from None
    await conn.execute(Q.audit, actor, "staff.add", scope if role == "librarian" else None,
                       f"staff:{username}", json.dumps({"role": role, "scope": scope}))
    return Staff(username=username, role=role, scope=scope)


async def login(conn: asyncpg.Connection, *, username: str, password: str, client: str) -> Staff:
    """Check a password; after too many failures the account is refused for a while, whatever the password."""
    username = username.strip().lower()
    if await conn.fetchval(Q.recent_failures, username, FAILURE_WINDOW_SECONDS) >= MAX_FAILURES:
        raise TooManyRequests("login_rate_limited",
                              "too many failed log-ins for this user; wait 15 minutes and try again")
    row = await conn.fetchrow(Q.staff_user, username)
    try:
        _HASHER.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        ok = row is not None and row["active"]
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        await conn.execute(Q.record_failure, username, client)
        raise Unauthorized("login_failed", "wrong user name or password")
    await conn.execute(Q.clear_failures, username)
    return Staff(username=row["username"], role=row["role"], scope=row["scope"])


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower().replace(" ", "-") if ch.isalnum() or ch in "-.")[:40] or "desa"


async def add_demo_librarians(conn: asyncpg.Connection, libraries: list[tuple[str, str]],
                              actor: str = "setup") -> list[tuple[str, str, str]]:
    """Create a librarian account for each (library code, village) given; (username, password, library)."""
    import secrets

    created = []
    for code, village in libraries:
        username, password = f"pustakawan.{_slug(village)}", secrets.token_urlsafe(9)
        await add_user(conn, username=username, password=password, role="librarian", scope=code, actor=actor)
        created.append((username, password, code))
    return created
