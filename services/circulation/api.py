"""HTTP handlers of the circulation service."""

from __future__ import annotations

import asyncpg
import msgspec
from litestar import Request, get, post
from litestar.datastructures import State

from kernel.wire import CIRCULATION_PREFIX
from pustaka import tokens
from services.circulation import records_api  # visits, reads, activities
from services.circulation import staff as staff_accounts
from services.circulation.service import Circulation
from services.circulation.stats import privacy_api  # anonymising returned loans (statistics: services/reporting)

PREFIX = CIRCULATION_PREFIX


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str


class TokenAnswer(msgspec.Struct):
    access_token: str
    token_type: str
    expires_in: int
    role: str
    scope: str | None


@get("/api/circulation/health")
async def health(pool: asyncpg.Pool) -> dict[str, str]:
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return {"status": "ok", "service": "circulation"}


@post(f"{PREFIX}/auth/login", status_code=200)
async def login(request: Request, circulation: Circulation, state: State, data: LoginRequest) -> TokenAnswer:
    """Exchange a user name and password for a bearer token accepted by both services."""
    client = request.client.host if request.client else "unknown"
    staff = await staff_accounts.log_in(circulation, data.username, data.password, client)
    token, seconds = tokens.issue(staff, state.settings.jwt_secret, state.settings.token_minutes)
    return TokenAnswer(token, "bearer", seconds, staff.role, staff.scope)


HANDLERS = [health, login, *records_api.HANDLERS, *privacy_api.HANDLERS]
