"""HTTP handlers for a copy's condition at the desk: damaged (with a reason), repaired, and the list of a
library's copies out of circulation (lost or damaged)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.web import authorise
from services.circulation import clock, condition
from services.circulation.condition import CopyCondition
from services.circulation.wire import PREFIX, write


class Damage(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S",
                                        description="what is wrong, e.g. 'sampul sobek, halaman 12-20 hilang'")]


class SetAsideCopy(msgspec.Struct):
    barcode: str
    title: str
    call_number: str | None
    isbn13: str | None
    status: str
    reason: str | None
    seen_at: dt.datetime


@post(f"{PREFIX}/items/{{barcode:str}}/damaged", status_code=200)
async def mark_damaged(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, barcode: str,
                       data: Damage) -> Response[CopyCondition]:
    """Take a damaged copy out of circulation, with the reason; the catalogue and search follow."""
    await state.circulation.replica.sight(barcode)

    async def run(conn: asyncpg.Connection) -> tuple[int, CopyCondition]:
        return 200, await condition.mark_damaged(conn, staff, barcode=barcode, reason=data.reason.strip())

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/items/{{barcode:str}}/repaired", status_code=200)
async def mark_repaired(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                        barcode: str) -> Response[CopyCondition]:
    """A damaged copy is mended: to the first member waiting for its title, or back on the shelf."""
    await state.circulation.replica.sight(barcode)

    async def run(conn: asyncpg.Connection) -> tuple[int, CopyCondition]:
        return 200, await condition.mark_repaired(conn, staff, barcode=barcode, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/copies-set-aside")
async def set_aside(
    pool: asyncpg.Pool, staff: Staff, code: str,
    status: Annotated[Literal["lost", "damaged"] | None, Parameter(query="status")] = None,
) -> list[SetAsideCopy]:
    """A library's copies marked lost or damaged at the desk (or by the catalogue), by title."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        rows = await condition.copies_out_of_circulation(conn, code)
    return [SetAsideCopy(r["barcode"], r["title"], r["call_number"], r["isbn13"], r["status"], r["status_reason"],
                         r["seen_at"]) for r in rows if status is None or r["status"] == status]


HANDLERS = [mark_damaged, mark_repaired, set_aside]
