"""POST /privacy/anonymisations: the one statistics-related write a user asks for (admins only)."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, post

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff
from pustaka.errors import Forbidden
from pustaka.web import idempotent
from services.circulation.clock import today as jakarta_today
from services.circulation.stats import privacy

PREFIX = CIRCULATION_PREFIX


@post(f"{PREFIX}/privacy/anonymisations", status_code=200)
async def anonymise(
    request: Request, pool: asyncpg.Pool, staff: Staff, data: privacy.Anonymisation
) -> Response[privacy.Anonymised]:
    """Admin only: unlink members from loans returned more than `older_than_days` ago; statistics keep."""
    if staff.role != "admin":
        raise Forbidden("forbidden", f"{staff.username} ({staff.role}) may not anonymise loans")

    async def run(conn: asyncpg.Connection):
        return 200, await privacy.anonymise_returned_loans(
            conn, older_than_days=data.older_than_days, today=jakarta_today(), actor=staff.username
        )

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


HANDLERS = [anonymise]
