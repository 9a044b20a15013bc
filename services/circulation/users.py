"""Managing staff accounts (admin only): list, disable, enable, move to another scope, reset a password.
Each change bumps the account's token version, so the user's tokens stop working within seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets

import asyncpg
import msgspec

from pustaka import revocation
from pustaka.access import validate_scope
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.sql import load
from services.circulation.staff import MIN_PASSWORD, hash_password

Q = load(__file__, "users.sql")


class User(msgspec.Struct):
    username: str
    role: str
    scope: str | None
    active: bool
    created_at: dt.datetime


class ResetPassword(msgspec.Struct):
    user: User
    password: str | None = None
    """The new password when it was generated (shown once)."""


def _user(row: asyncpg.Record) -> User:
    return User(row["username"], row["role"], row["scope"], row["active"], row["created_at"])


async def list_users(conn: asyncpg.Connection) -> list[User]:
    """Every staff account, by name."""
    return [_user(r) for r in await conn.fetch(Q.users)]


async def _account(conn: asyncpg.Connection, username: str) -> asyncpg.Record:
    row = await conn.fetchrow(Q.user_for_update, username.strip().lower())
    if row is None:
        raise NotFound("user_not_found", f"no staff account is called {username}", field="username")
    return row


async def _changed(conn: asyncpg.Connection, actor: str, action: str, row: asyncpg.Record, detail: dict) -> User:
    await conn.execute(Q.audit, actor, action, row["scope"] if row["role"] == "librarian" else None,
                       f"staff:{row['username']}", json.dumps(detail))
    revocation.forget(row["username"])
    return _user(row)


async def set_active(conn: asyncpg.Connection, *, actor: str, username: str, active: bool) -> User:
    """Disable (or enable again) an account; a disabled account cannot log in and its tokens stop working."""
    row = await _account(conn, username)
    if not active and row["username"] == actor:
        raise Conflict("cannot_disable_self", "an admin cannot disable their own account", field="username")
    changed = await conn.fetchrow(Q.set_active, row["username"], active)
    return await _changed(conn, actor, "staff.enable" if active else "staff.disable", changed, {})


async def set_scope(conn: asyncpg.Connection, *, actor: str, username: str, scope: str) -> User:
    """Move a librarian to another library, or a district user to another kabupaten."""
    row = await _account(conn, username)
    try:
        scope = validate_scope(row["role"], scope)
    except ValueError as exc:
        raise Invalid("scope_invalid", str(exc), field="scope") from None
    changed = await conn.fetchrow(Q.set_scope, row["username"], scope)
    return await _changed(conn, actor, "staff.scope", changed, {"from": row["scope"], "to": scope})


async def reset_password(conn: asyncpg.Connection, *, actor: str, username: str,
                         password: str | None = None) -> ResetPassword:
    """Set a new password (or generate one, returned once); the user's tokens stop working."""
    row = await _account(conn, username)
    generated = password is None
    password = secrets.token_urlsafe(12) if password is None else password
    if len(password) < MIN_PASSWORD:
        raise Invalid("password_too_short", f"the password must be at least {MIN_PASSWORD} characters",
                      field="password")
    changed = await conn.fetchrow(Q.set_password, row["username"], await asyncio.to_thread(hash_password, password))
    user = await _changed(conn, actor, "staff.password_reset", changed, {})
    return ResetPassword(user, password if generated else None)
