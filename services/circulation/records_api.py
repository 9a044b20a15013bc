"""HTTP handlers for non-loan use: visitor tallies, on-the-spot reads and activities (201 each; every
POST is authenticated, authorised for the library, audited through the journal and honours
Idempotency-Key)."""

from __future__ import annotations

import asyncpg
import msgspec
from litestar import Request, Response, post

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.web import authorise, idempotent
from services.circulation import records
from services.circulation.clock import today as jakarta_today
from services.circulation.domain.titles import clean_isbn13
from services.circulation.queries import copies as copies_q
from services.circulation.records import ActivityHeld, OnsiteRead, VisitTally
from services.circulation.stats.directory import catalog_for, ensure_library

PREFIX = CIRCULATION_PREFIX


@post(f"{PREFIX}/visits", status_code=201)
async def post_visits(
    request: Request, pool: asyncpg.Pool, staff: Staff, data: VisitTally
) -> Response[records.VisitDay]:
    """Record a day's visitors (adds to the day's tally; `"correction": true` replaces it)."""
    authorise(staff, Action.CIRCULATE, data.library)
    async with pool.acquire() as conn:
        await ensure_library(conn, catalog_for(request), data.library)

    async def run(conn: asyncpg.Connection):
        return 201, await records.record_visits(conn, tally=data, actor=staff.username, today=jakarta_today())

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


@post(f"{PREFIX}/reads", status_code=201)
async def post_read(
    request: Request, pool: asyncpg.Pool, staff: Staff, data: OnsiteRead
) -> Response[records.ReadRecorded]:
    """Record one title read in the library without a loan (baca di tempat), by copy barcode or ISBN."""
    authorise(staff, Action.CIRCULATE, data.library)
    if (data.item_barcode is None) == (data.isbn13 is None):
        raise Invalid("read_target_invalid", "give exactly one of item_barcode and isbn13", field="item_barcode")
    day = records.check_day(data.date or jakarta_today(), jakarta_today())
    catalog = catalog_for(request)
    async with pool.acquire() as conn:
        await ensure_library(conn, catalog, data.library)
    if data.item_barcode is not None:
        seen = await request.app.state.circulation.replica.sight(data.item_barcode)
        if seen.library != data.library:
            raise Invalid(
                "item_other_library", f"copy {data.item_barcode} belongs to {seen.library}", field="item_barcode"
            )
        async with pool.acquire() as conn:
            copy = await records.copy_facts(conn, data.item_barcode)
    else:
        isbn13 = clean_isbn13(data.isbn13)
        await request.app.state.circulation.replica.sight_title(data.library, isbn13)
        async with pool.acquire() as conn:
            held = [msgspec.structs.asdict(c) for c in
                    await copies_q.copies_of_title(conn, library=data.library, isbn13=isbn13)]
        if not held:
            raise records.not_held(data.library, f"title with ISBN {isbn13}", "isbn13")
        copy = held[0]
    if copy is None:
        raise records.not_held(data.library, f"copy {data.item_barcode}", "item_barcode")

    async def run(conn: asyncpg.Connection):
        return 201, await records.record_read(
            conn, library=data.library, day=day, copy=copy, barcode=data.item_barcode, actor=staff.username
        )

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


@post(f"{PREFIX}/activities", status_code=201)
async def post_activity(
    request: Request, pool: asyncpg.Pool, staff: Staff, data: ActivityHeld
) -> Response[records.ActivityRecorded]:
    """Record a literacy or community activity and its participants."""
    authorise(staff, Action.CIRCULATE, data.library)
    async with pool.acquire() as conn:
        await ensure_library(conn, catalog_for(request), data.library)

    async def run(conn: asyncpg.Connection):
        return 201, await records.record_activity(conn, activity=data, actor=staff.username, today=jakarta_today())

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


HANDLERS = [post_visits, post_read, post_activity]
