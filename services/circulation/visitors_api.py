"""HTTP handlers of the guest book and the desk's records: one visitor from the entrance kiosk, and what a
library recorded (daily visitor tallies, reads on the spot, activities) for the desk's screens. Tallies
are corrected through `POST /visits` with `"correction": true` (and `expected_tallies`)."""

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
from services.circulation.visitors import ActivityView, ReadView, VisitDayView, Visitor, VisitorRecorded
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


def _range(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The dates asked, by default the last 31 days (Asia/Jakarta)."""
    last = last or jakarta_today()
    first = first or last - dt.timedelta(days=30)
    if first > last:
        raise Invalid("range_inverted", f"from {first} is after to {last}", field="from")
    if (last - first).days > MAX_DAYS:
        raise Invalid("range_too_long", f"at most {MAX_DAYS} days at once", field="from")
    return first, last


@get(f"{PREFIX}/libraries/{{code:str}}/visits")
async def library_visits(
    pool: asyncpg.Pool, staff: Staff, code: str,
    first: Annotated[dt.date | None, Parameter(query="from")] = None,
    last: Annotated[dt.date | None, Parameter(query="to")] = None,
) -> list[VisitDayView]:
    """A library's daily visitor tallies, newest first."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await visitors.visit_days(conn, code, *_range(first, last))


@get(f"{PREFIX}/libraries/{{code:str}}/reads")
async def library_reads(pool: asyncpg.Pool, staff: Staff, code: str,
                        day: Annotated[dt.date | None, Parameter(query="date")] = None) -> list[ReadView]:
    """The titles recorded as read on the spot on a day (default today), newest first."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await visitors.reads_of_day(conn, code, day or jakarta_today())


@get(f"{PREFIX}/libraries/{{code:str}}/activities")
async def library_activities(
    pool: asyncpg.Pool, staff: Staff, code: str,
    first: Annotated[dt.date | None, Parameter(query="from")] = None,
    last: Annotated[dt.date | None, Parameter(query="to")] = None,
) -> list[ActivityView]:
    """A library's activities, newest first."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await visitors.activities_between(conn, code, *_range(first, last))


HANDLERS = [post_visitor, library_visits, library_reads, library_activities]
