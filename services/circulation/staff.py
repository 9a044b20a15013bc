"""Staff accounts: adding users, and password login (argon2) rate-limited per user name."""

from __future__ import annotations

import asyncio
import json

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pustaka import revocation
from pustaka.access import Staff, validate_scope
from pustaka.errors import Invalid, TooManyRequests, Unauthorized
from services.circulation.queries import staff as q
from services.circulation.service import Circulation

FREE_ATTEMPTS = 5
"""Attempts per (user, client address) before each further one waits a growing delay."""
FIRST_DELAY_SECONDS = 15
MAX_DELAY_SECONDS = 15 * 60
FORGET_AFTER_SECONDS = 24 * 3600
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
# Verifying against a throw-away hash when the user does not exist keeps the timing the same.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


async def add_user(
    conn: asyncpg.Connection, *, username: str, password: str, role: str, scope: str | None, actor: str
) -> Staff:
    """Create (or reset) a staff account; the password is stored only as an argon2 hash."""
    try:
        scope = validate_scope(role, scope)
    except ValueError as exc:
        raise Invalid("scope_invalid", str(exc), field="scope") from None
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            "password_too_short", f"the password must be at least {MIN_PASSWORD} characters", field="password"
        )
    username = username.strip().lower()
    try:
        version = await q.upsert_staff_user(
            conn, username=username, password_hash=_HASHER.hash(password), role=role, scope=scope
        )
    except asyncpg.CheckViolationError:
        raise Invalid(
            "username_invalid", "a user name is 2-64 characters: a-z, 0-9, '.', '_' or '-'", field="username"
        ) from None
    await q.audit(
        conn,
        actor=actor,
        action="staff.add",
        library=scope if role == "librarian" else None,
        target=f"staff:{username}",
        detail=json.dumps({"role": role, "scope": scope}),
    )
    revocation.forget(username)
    return Staff(username=username, role=role, scope=scope, version=version)


async def login(conn: asyncpg.Connection, *, username: str, password: str, client: str) -> Staff:
    """Check a password. Each (user, client address) has a few free attempts, then a doubling wait before
    each next one (429 with Retry-After), so guessing is slow and a stranger elsewhere cannot lock the
    user out. The attempt is claimed before the password is checked: parallel guesses cannot overtake it."""
    username = username.strip().lower()
    claimed = await q.claim_attempt(
        conn,
        username=username,
        client=client,
        free_attempts=FREE_ATTEMPTS,
        first_delay=FIRST_DELAY_SECONDS,
        max_delay=MAX_DELAY_SECONDS,
        forget_after=FORGET_AFTER_SECONDS,
    )
    if claimed is None:
        wait = await q.retry_after(conn, username=username, client=client) or 1
        raise TooManyRequests(
            "login_rate_limited",
            f"too many failed log-ins for this user from here; try again in {wait} seconds",
            retry_after=wait,
        )
    row = await q.staff_user(conn, username=username)
    try:  # argon2 takes tens of milliseconds of CPU by design: off the event loop
        await asyncio.to_thread(_HASHER.verify, row.password_hash if row else _DUMMY_HASH, password)
        ok = row is not None and row.active
    except (VerificationError, InvalidHashError):
        ok = False
    if row is None or not ok:
        raise Unauthorized("login_failed", "wrong user name or password")
    await q.forgive(conn, username=username, client=client)
    return Staff(username=row.username, role=row.role, scope=row.scope, version=row.token_version)


async def log_in(circulation: Circulation, username: str, password: str, client: str) -> Staff:
    """The use case behind `POST /auth/login`. Deliberately not one transaction: the attempt is counted (and
    committed) before the password is checked, and stays counted when the password is wrong."""
    async with circulation.pool.acquire() as conn:
        return await login(conn, username=username, password=password, client=client)


def hash_password(password: str) -> str:
    """The argon2 hash a password is stored as."""
    return _HASHER.hash(password)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower().replace(" ", "-") if ch.isalnum() or ch in "-.")[:40] or "desa"


async def add_demo_librarians(
    conn: asyncpg.Connection, libraries: list[tuple[str, str]], actor: str = "setup"
) -> list[tuple[str, str, str]]:
    """Create a librarian account for each (library code, village) given; (username, password, library)."""
    import secrets

    created = []
    for code, village in libraries:
        username, password = f"pustakawan.{_slug(village)}", secrets.token_urlsafe(9)
        await add_user(conn, username=username, password=password, role="librarian", scope=code, actor=actor)
        created.append((username, password, code))
    return created
