"""Managing staff accounts (admin only): list, add, disable, enable, move to another scope, reset a password.
Each change bumps the account's token version, so the user's tokens stop working within seconds.

Every function here is a use case: it takes the `Circulation` and the staff member acting, authorises
(`manage_staff`), and runs in one transaction; the admin's HTTP handlers and `pustaka user ...` call the same
functions."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets
from typing import Annotated

import asyncpg
import msgspec

from pustaka import revocation
from pustaka.access import Action, Staff, authorise, validate_scope
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.circulation import staff as accounts
from services.circulation.queries import users as q
from services.circulation.service import Circulation

UserName = Annotated[str, msgspec.Meta(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]+$")]
Password = Annotated[str, msgspec.Meta(min_length=accounts.MIN_PASSWORD, max_length=200)]


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    username: UserName
    password: Password
    role: str
    scope: str | None = None


class ScopeChange(msgspec.Struct, forbid_unknown_fields=True):
    scope: Annotated[str, msgspec.Meta(max_length=40)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    password: Password
    """Chosen by the admin (a generated one would be kept in the idempotency record)."""


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


def _user(row: q.UserRow) -> User:
    return User(row.username, row.role, row.scope, row.active, row.created_at)


def _admin(staff: Staff) -> None:
    authorise(staff, Action.MANAGE_STAFF, None)


async def list_users(circulation: Circulation, staff: Staff) -> list[User]:
    """Every staff account, by name."""
    _admin(staff)
    return await circulation.read(lambda conn: _users(conn))


async def _users(conn: asyncpg.Connection) -> list[User]:
    return [_user(r) for r in await q.users(conn)]


async def add_user(circulation: Circulation, staff: Staff, new: NewUser, once: Once | None = None) -> User:
    """Create (or reset) a staff account; the password is stored only as an argon2 hash."""
    _admin(staff)

    async def work(conn: asyncpg.Connection) -> User:
        added = await accounts.add_user(
            conn, username=new.username, password=new.password, role=new.role, scope=new.scope, actor=staff.username
        )
        row = await q.user(conn, username=added.username)
        assert row is not None  # just written
        return _user(row)

    return await circulation.write(work, once)


async def _account(conn: asyncpg.Connection, username: str) -> q.LockedUser:
    row = await q.user_for_update(conn, username=username.strip().lower())
    if row is None:
        raise NotFound("user_not_found", f"no staff account is called {username}", field="username")
    return row


async def _changed(conn: asyncpg.Connection, actor: str, action: str, row: q.UserRow | None, detail: dict) -> User:
    assert row is not None  # the account is locked: the update finds it
    await q.audit(
        conn,
        actor=actor,
        action=action,
        library=row.scope if row.role == "librarian" else None,
        target=f"staff:{row.username}",
        detail=json.dumps(detail),
    )
    revocation.forget(row.username)
    return _user(row)


async def set_active(
    circulation: Circulation, staff: Staff, username: str, active: bool, once: Once | None = None
) -> User:
    """Disable (or enable again) an account; a disabled account cannot log in and its tokens stop working."""
    _admin(staff)

    async def work(conn: asyncpg.Connection) -> User:
        row = await _account(conn, username)
        if not active and row.username == staff.username:
            raise Conflict("cannot_disable_self", "an admin cannot disable their own account", field="username")
        changed = await q.set_active(conn, username=row.username, active=active)
        return await _changed(conn, staff.username, "staff.enable" if active else "staff.disable", changed, {})

    return await circulation.write(work, once)


async def set_scope(circulation: Circulation, staff: Staff, username: str, change: ScopeChange) -> User:
    """Move a librarian to another library, or a district user to another kabupaten."""
    _admin(staff)

    async def work(conn: asyncpg.Connection) -> User:
        row = await _account(conn, username)
        try:
            scope = validate_scope(row.role, change.scope)
        except ValueError as exc:
            raise Invalid("scope_invalid", str(exc), field="scope") from None
        changed = await q.set_scope(conn, username=row.username, scope=scope)
        return await _changed(conn, staff.username, "staff.scope", changed, {"from": row.scope, "to": scope})

    return await circulation.write(work)


async def reset_password(
    circulation: Circulation, staff: Staff, username: str, password: str | None = None, once: Once | None = None
) -> ResetPassword:
    """Set a new password (or generate one, returned once); the user's tokens stop working."""
    _admin(staff)
    generated = password is None
    chosen = secrets.token_urlsafe(12) if password is None else password

    async def work(conn: asyncpg.Connection) -> ResetPassword:
        row = await _account(conn, username)
        if len(chosen) < accounts.MIN_PASSWORD:
            raise Invalid(
                "password_too_short",
                f"the password must be at least {accounts.MIN_PASSWORD} characters",
                field="password",
            )
        hashed = await asyncio.to_thread(accounts.hash_password, chosen)
        changed = await q.set_password(conn, username=row.username, password_hash=hashed)
        user = await _changed(conn, staff.username, "staff.password_reset", changed, {})
        return ResetPassword(user, chosen if generated else None)

    return await circulation.write(work, once)
