"""Admin HTTP API for staff accounts: `/api/circulation/v1/users...`."""

from __future__ import annotations

from typing import Annotated

import asyncpg
import msgspec
from litestar import Request, Response, get, post, put
from litestar.datastructures import State

from pustaka.access import Action, Staff
from pustaka.web import authorise
from services.circulation import staff as accounts
from services.circulation import users
from services.circulation.wire import PREFIX, write

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


def _admin(staff: Staff) -> None:
    authorise(staff, Action.MANAGE_STAFF, None)


@get(f"{PREFIX}/users")
async def list_users(pool: asyncpg.Pool, staff: Staff) -> list[users.User]:
    """Every staff account (admin only)."""
    _admin(staff)
    async with pool.acquire() as conn:
        return await users.list_users(conn)


@post(f"{PREFIX}/users", status_code=201)
async def add_user(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                   data: NewUser) -> Response[users.User]:
    """Create a staff account (admin only)."""
    _admin(staff)

    async def run(conn: asyncpg.Connection) -> tuple[int, users.User]:
        await accounts.add_user(conn, username=data.username, password=data.password, role=data.role,
                                scope=data.scope, actor=staff.username)
        return 201, next(u for u in await users.list_users(conn) if u.username == data.username.lower())

    return await write(request, pool, state, staff, await request.body(), run)


async def _set_active(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, name: str,
                      active: bool) -> Response:
    _admin(staff)

    async def run(conn: asyncpg.Connection) -> tuple[int, users.User]:
        return 200, await users.set_active(conn, actor=staff.username, username=name, active=active)

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/users/{{name:str}}/disable", status_code=200)
async def disable_user(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                       name: str) -> Response[users.User]:
    """Disable an account: it cannot log in, and its tokens stop working within seconds."""
    return await _set_active(request, pool, state, staff, name, False)


@post(f"{PREFIX}/users/{{name:str}}/enable", status_code=200)
async def enable_user(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                      name: str) -> Response[users.User]:
    """Enable a disabled account again (it logs in anew)."""
    return await _set_active(request, pool, state, staff, name, True)


@put(f"{PREFIX}/users/{{name:str}}/scope")
async def set_scope(pool: asyncpg.Pool, staff: Staff, name: str, data: ScopeChange) -> users.User:
    """Move an account to another library (librarian) or kabupaten (district); its tokens stop working."""
    _admin(staff)
    async with pool.acquire() as conn, conn.transaction():
        return await users.set_scope(conn, actor=staff.username, username=name, scope=data.scope)


@post(f"{PREFIX}/users/{{name:str}}/password", status_code=200)
async def reset_password(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, name: str,
                         data: PasswordChange) -> Response[users.ResetPassword]:
    """Reset a password; the account's tokens stop working within seconds."""
    _admin(staff)

    async def run(conn: asyncpg.Connection) -> tuple[int, users.ResetPassword]:
        return 200, await users.reset_password(conn, actor=staff.username, username=name, password=data.password)

    return await write(request, pool, state, staff, await request.body(), run)


HANDLERS = [list_users, add_user, disable_user, enable_user, set_scope, reset_password]
