"""HTTP handlers for holds: place, cancel, and the queues of a library."""

from __future__ import annotations

from typing import Annotated

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.web import authorise
from services.circulation import clock, holds, views
from services.circulation.domain import holds as rules
from services.circulation.domain.titles import clean_isbn13
from services.circulation.wire import PREFIX, Isbn, LibraryCode, MemberNumber, write


class HoldRequest(msgspec.Struct, forbid_unknown_fields=True):
    isbn13: Isbn
    member_number: MemberNumber
    library: LibraryCode


@post(f"{PREFIX}/holds", status_code=201)
async def place_hold(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                     data: HoldRequest) -> Response[holds.Hold]:
    """Queue a member for a title at a library; a copy on the shelf is set aside for them at once."""
    authorise(staff, Action.CIRCULATE, data.library)
    isbn13 = clean_isbn13(data.isbn13)
    await state.circulation.replica.sight_title(data.library, isbn13)

    async def run(conn: asyncpg.Connection) -> tuple[int, holds.Hold]:
        return 201, await holds.place_hold(conn, staff, isbn13=isbn13, member_number=data.member_number,
                                           library=data.library, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/holds/{{hold_id:int}}/cancellation", status_code=200)
async def cancel_hold(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                      hold_id: int) -> Response[holds.Hold]:
    """Cancel an open hold; a copy waiting for it goes to the next member in the queue."""
    async def run(conn: asyncpg.Connection) -> tuple[int, holds.Hold]:
        return 200, await holds.cancel_hold(conn, staff, hold_id, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/holds")
async def library_holds(
    pool: asyncpg.Pool, staff: Staff, code: str,
    status: Annotated[str | None, Parameter(query="status")] = None,
) -> list[holds.Hold]:
    """A library's holds by title in queue order; `status` filters (e.g. open-awaiting-pickup)."""
    authorise(staff, Action.CIRCULATE, code)
    if status is not None and status not in rules.STATUSES:
        raise Invalid("status_invalid", f"status must be one of {', '.join(rules.STATUSES)}", field="status")
    async with pool.acquire() as conn:
        return await views.holds(conn, code, status)


@get(f"{PREFIX}/members/{{number:str}}/holds")
async def member_holds(pool: asyncpg.Pool, staff: Staff, number: str) -> list[holds.Hold]:
    """A member's holds, open and closed, with their place in the queue."""
    async with pool.acquire() as conn:
        member = await views.member_row(conn, number)
        authorise(staff, Action.CIRCULATE, member["library_code"])
        return await views.holds(conn, None, None, member["id"])


HANDLERS = [place_hold, cancel_hold, library_holds, member_holds]
