"""HTTP handlers of the circulation desk: check out, check in, renew, lost and found, overdue, a copy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Forbidden
from pustaka.web import authorise
from services.circulation import clock, copies, lending, views
from services.circulation.stats.directory import library_name
from services.circulation.wire import PREFIX, Barcode, MemberNumber, write


class CheckOut(msgspec.Struct, forbid_unknown_fields=True):
    item_barcode: Barcode
    member_number: MemberNumber


class CheckIn(msgspec.Struct, forbid_unknown_fields=True):
    item_barcode: Barcode


async def _at_desk(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, barcode: str,
                   use_case: Callable[[asyncpg.Connection], Awaitable[tuple[int, Any]]]) -> Response:
    """Run a use case on a copy; a copy not seen before is looked up in the catalogue first, then retried.
    A copy seen long ago is looked up again in the background (a withdrawal made in the catalogue)."""
    body = await request.body()
    async with _naming_the_library(pool, state):
        try:
            answer = await write(request, pool, state, staff, body, use_case)
        except lending.CopyNotSeen:
            await copies.sight(pool, state.catalog, barcode)
            answer = await write(request, pool, state, staff, body, use_case)
    copies.refresh_soon(pool, state.catalog, barcode)
    return answer


@asynccontextmanager
async def _naming_the_library(pool: asyncpg.Pool, state: State) -> AsyncIterator[None]:
    """A copy of another library: the refusal says which library, by name, for the desk to show."""
    try:
        yield
    except Forbidden as refusal:
        if refusal.code == "item_of_other_library":
            async with pool.acquire() as conn:
                refusal.extra["library_name"] = await library_name(conn, getattr(state, "catalog", None),
                                                                   refusal.extra["library"])
        raise


@post(f"{PREFIX}/loans", status_code=201)
async def check_out(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                    data: CheckOut) -> Response[lending.Loan]:
    """Check out a copy (by barcode) to a member (by number); refusals are 409/422 with a `code`."""
    async def run(conn: asyncpg.Connection) -> tuple[int, lending.Loan]:
        return 201, await lending.check_out(conn, staff, barcode=data.item_barcode,
                                            member_number=data.member_number, today=clock.today())

    return await _at_desk(request, pool, state, staff, data.item_barcode, run)


@post(f"{PREFIX}/returns", status_code=200)
async def check_in(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                   data: CheckIn) -> Response[lending.Return]:
    """Check in a copy; `hold_waiting` names the member to keep it for, when one is waiting."""
    async def run(conn: asyncpg.Connection) -> tuple[int, lending.Return]:
        return 200, await lending.check_in(conn, staff, barcode=data.item_barcode, today=clock.today())

    return await _at_desk(request, pool, state, staff, data.item_barcode, run)


@post(f"{PREFIX}/loans/{{loan_id:int}}/renewals", status_code=200)
async def renew(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                loan_id: int) -> Response[lending.Renewal]:
    """Renew a loan: a new due date, unless renewals are used up or someone waits for the title."""
    async def run(conn: asyncpg.Connection) -> tuple[int, lending.Renewal]:
        return 200, await lending.renew(conn, staff, loan_id=loan_id, today=clock.today())

    async with _naming_the_library(pool, state):
        return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/renewals", status_code=200)
async def renew_copy(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                     data: CheckIn) -> Response[lending.Renewal]:
    """Renew the open loan of a copy by its barcode (what a desk scans, also when queued offline)."""
    async def run(conn: asyncpg.Connection) -> tuple[int, lending.Renewal]:
        return 200, await lending.renew_copy(conn, staff, barcode=data.item_barcode, today=clock.today())

    return await _at_desk(request, pool, state, staff, data.item_barcode, run)


@post(f"{PREFIX}/items/{{barcode:str}}/lost", status_code=200)
async def mark_lost(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                    barcode: str) -> Response[lending.ItemState]:
    """Declare a copy lost (its open loan is closed as lost)."""
    await copies.sight(pool, state.catalog, barcode)

    async def run(conn: asyncpg.Connection) -> tuple[int, lending.ItemState]:
        return 200, await lending.mark_lost(conn, staff, barcode=barcode, today=clock.today())

    async with _naming_the_library(pool, state):
        return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/items/{{barcode:str}}/found", status_code=200)
async def mark_found(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                     barcode: str) -> Response[lending.ItemState]:
    """A lost copy is back: to the first member waiting for its title, or to the shelf."""
    await copies.sight(pool, state.catalog, barcode)

    async def run(conn: asyncpg.Connection) -> tuple[int, lending.ItemState]:
        return 200, await lending.mark_found(conn, staff, barcode=barcode, today=clock.today())

    async with _naming_the_library(pool, state):
        return await write(request, pool, state, staff, await request.body(), run)


@get(f"{PREFIX}/items/{{barcode:str}}")
async def copy_at_desk(pool: asyncpg.Pool, state: State, staff: Staff, barcode: str) -> views.CopyView:
    """A copy as circulation sees it: its status, open loan and the hold it waits for."""
    async with pool.acquire() as conn:
        found = await views.copy(conn, barcode)
    async with _naming_the_library(pool, state):
        lending.authorise_copy(staff, found.library)
    return found


@get(f"{PREFIX}/loans/{{loan_id:int}}")
async def get_loan(pool: asyncpg.Pool, staff: Staff, loan_id: int) -> views.LoanView:
    """One loan, open or closed."""
    async with pool.acquire() as conn:
        found = await views.loan(conn, loan_id)
    authorise(staff, Action.CIRCULATE, found.library)
    return found


@get(f"{PREFIX}/libraries/{{code:str}}/overdue")
async def overdue(pool: asyncpg.Pool, staff: Staff, code: str) -> list[views.OverdueLoan]:
    """Open loans past their due date, longest overdue first, with whom to remind."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await views.overdue(conn, code, clock.today())


@get(f"{PREFIX}/members/{{number:str}}/loans")
async def member_loans(
    pool: asyncpg.Pool, staff: Staff, number: str,
    status: Annotated[Literal["open", "closed", "all"], Parameter(query="status")] = "open",
) -> list[views.LoanView]:
    """A member's open loans, loan history (closed) or all, newest first."""
    async with pool.acquire() as conn:
        member = await views.member_row(conn, number)
        authorise(staff, Action.CIRCULATE, member["library_code"])
        return await views.member_loans(conn, member["id"], None if status == "all" else status)


HANDLERS = [check_out, check_in, renew, renew_copy, mark_lost, mark_found, copy_at_desk, get_loan, overdue,
            member_loans]
