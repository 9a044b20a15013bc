"""HTTP handlers of the guest book: one visitor from the entrance kiosk, and a library's daily tallies for
the librarian's visits screen (corrections go through `POST /visits` with `"correction": true`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
from litestar import Request, Response, get, post
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.web import authorise, idempotent
from services.circulation import visitors
from services.circulation.clock import today as jakarta_today
from services.circulation.stats.directory import catalog_for, ensure_library
from services.circulation.visitors import Visitor, VisitorRecorded, VisitDayView
from services.circulation.wire import PREFIX

MAX_DAYS = 366


@post(f"{PREFIX}/visitors", status_code=201)
async def post_visitor(request: Request, pool: asyncpg.Pool, staff: Staff, data: Visitor) -> Response[VisitorRecorded]:
    """One visitor today: `{"library", "member_number"}` or `{"library", "category", "gender"}`."""
    authorise(staff, Action.CIRCULATE, data.library)
    async with pool.acquire() as conn:
        await ensure_library(conn, catalog_for(request), data.library)

    async def run(conn: asyncpg.Connection):
        return 201, await visitors.record_visitor(conn, visitor=data, actor=staff.username, today=jakarta_today())

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/visits")
async def library_visits(
    pool: asyncpg.Pool, staff: Staff, code: str,
    first: Annotated[dt.date | None, Parameter(query="from")] = None,
    last: Annotated[dt.date | None, Parameter(query="to")] = None,
) -> list[VisitDayView]:
    """A library's daily visitor tallies (default: the last 31 days, Asia/Jakarta), newest first."""
    authorise(staff, Action.CIRCULATE, code)
    last = last or jakarta_today()
    first = first or last - dt.timedelta(days=30)
    if first > last:
        raise Invalid("range_inverted", f"from {first} is after to {last}", field="from")
    if (last - first).days > MAX_DAYS:
        raise Invalid("range_too_long", f"at most {MAX_DAYS} days at once", field="from")
    async with pool.acquire() as conn:
        return await visitors.visit_days(conn, code, first, last)


HANDLERS = [post_visitor, library_visits]
