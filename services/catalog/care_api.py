"""HTTP handlers of catalogue care: title editing and classification, copies outside packages, withdrawal
and damage, spine labels for chosen copies, and the copy-change feed circulation follows."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Literal

import asyncpg
import msgspec
from litestar import Request, Response, get, patch, post
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Invalid, NotFound
from pustaka.sql import load
from pustaka.web import authorise, idempotent
from services.catalog import views
from services.catalog.acquisitions import Acquired, Acquisition, add_copies
from services.catalog.conditions import Reason, set_condition
from services.catalog.labels_api import MAX_BARCODES, Label, render_labels
from services.catalog.suggestions import UnclassifiedPage, unclassified
from services.catalog.title_editing import Classification, Classified, TitleChanges, classify_titles, edit_title

PREFIX = "/api/catalog/v1"
Q = load(__file__, "care.sql")


class EditedTitle(views.Title, kw_only=True):
    relabelled: list[str]
    """Barcodes whose call number changed: their spine labels should be reprinted."""


@patch(f"{PREFIX}/titles/{{isbn:str}}")
async def patch_title(pool: asyncpg.Pool, staff: Staff, isbn: str, data: TitleChanges) -> EditedTitle:
    """Correct a title (admin, or staff of a library holding it); call numbers and search follow."""
    async with pool.acquire() as conn, conn.transaction():
        result = await edit_title(conn, isbn, data, staff)
        title = await views.title(conn, isbn)
    return EditedTitle(**msgspec.structs.asdict(title), relabelled=result.relabelled)


class ClassificationBatch(msgspec.Struct, forbid_unknown_fields=True):
    titles: Annotated[list[Classification], msgspec.Meta(min_length=1, max_length=500)]


class ClassificationReport(msgspec.Struct):
    classified: list[Classified]


@post(f"{PREFIX}/classifications", status_code=200)
async def post_classifications(request: Request, pool: asyncpg.Pool, staff: Staff,
                               data: ClassificationBatch) -> Response[ClassificationReport]:
    """Set the class of many titles at once (the librarian's confirmed suggestions)."""
    async def run(conn: asyncpg.Connection) -> tuple[int, ClassificationReport]:
        return 200, ClassificationReport(await classify_titles(conn, data.titles, staff))

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/unclassified")
async def get_unclassified(
    pool: asyncpg.Pool, code: str,
    page: Annotated[int, Parameter(ge=1)] = 1, per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> UnclassifiedPage:
    """The library's titles without a class, each with a suggested class to confirm."""
    async with pool.acquire() as conn:
        return await unclassified(conn, code, page, per_page)


@post(f"{PREFIX}/libraries/{{code:str}}/acquisitions", status_code=201)
async def post_acquisition(request: Request, pool: asyncpg.Pool, staff: Staff, code: str,
                           data: Acquisition) -> Response[Acquired]:
    """Add donated or bought copies by ISBN (typed, or the EAN-13 scanned from the back cover)."""
    async def run(conn: asyncpg.Connection) -> tuple[int, Acquired]:
        return 201, await add_copies(conn, code, data, staff)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


def _condition_handler(path: str, status: str, doc: str):
    @post(f"{PREFIX}/items/{{barcode:str}}/{path}", status_code=200, name=f"item_{path}", description=doc)
    async def handler(request: Request, pool: asyncpg.Pool, staff: Staff, barcode: str,
                      data: Reason) -> Response[views.Item]:
        async def run(conn: asyncpg.Connection) -> tuple[int, views.Item]:
            return 200, await set_condition(conn, barcode, status, data.reason, staff)

        return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)

    return handler


withdraw_item = _condition_handler("withdrawal", "withdrawn", "Withdraw a copy (weeding) with the reason.")
damage_item = _condition_handler("damage", "damaged", "Mark a copy damaged with the reason.")


@get(f"{PREFIX}/libraries/{{code:str}}/labels.pdf")
async def library_labels(
    pool: asyncpg.Pool, staff: Staff, code: str, barcodes: Annotated[str, Parameter(query="barcodes")],
    kind: Literal["spine", "barcode", "both"] = "spine",
) -> Response[bytes]:
    """Reprint labels of chosen copies (comma-separated barcodes), e.g. after their call number changed."""
    authorise(staff, Action.CATALOGUE, code)
    wanted = [b.strip() for b in barcodes.split(",") if b.strip()]
    if not wanted or len(wanted) > MAX_BARCODES:
        raise Invalid("barcodes_invalid", f"give 1 to {MAX_BARCODES} barcodes", field="barcodes")
    async with pool.acquire() as conn:
        rows = await conn.fetch(Q.labels_of_copies, code, wanted)
    if not rows:
        raise NotFound("no_items", f"none of these barcodes is a copy of {code}", field="barcodes")
    labels = [Label(r["barcode"], r["call_number"], r["title"], r["library_name"]) for r in rows]
    pdf = await asyncio.to_thread(render_labels, labels, kind)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="label-cetak-ulang.pdf"'})


class ChangedCopy(msgspec.Struct):
    barcode: str
    library: str
    status: str
    title: str
    call_number: str
    isbn13: str | None
    local_code: str | None
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    title_id: int


class CopyChanges(msgspec.Struct):
    upto: int
    """Read again with `after=upto`."""
    upto_at: dt.datetime | None
    after_at: dt.datetime | None
    """When change `after` was made: a reader that remembers another time (or none is found) reads from 0
    again, since the feed was reset (a restored or emptied database)."""
    last: int
    items: list[ChangedCopy]


@get(f"{PREFIX}/copy-changes")
async def copy_changes(pool: asyncpg.Pool, after: Annotated[int, Parameter(ge=0)] = 0,
                       limit: Annotated[int, Parameter(ge=1, le=1000)] = 200) -> CopyChanges:
    """Copies whose title facts or condition the catalogue changed (edit, withdrawal, damage, written off
    after a stock-take), in order; circulation follows this feed to keep its replica current."""
    async with pool.acquire() as conn:
        page = await conn.fetch(Q.copy_changes_page, after, limit)
        head = await conn.fetchrow(Q.copy_change_at, after)
        if not page:
            return CopyChanges(after, head["after_at"], head["after_at"], head["last"], [])
        titles = [r["title_id"] for r in page if r["barcode"] is None]
        barcodes = [r["barcode"] for r in page if r["barcode"] is not None]
        rows = await conn.fetch(Q.changed_copies, titles, barcodes)
    return CopyChanges(page[-1]["id"], page[-1]["at"], head["after_at"], head["last"], [ChangedCopy(
        r["barcode"], r["library_code"], r["status"], r["title"], r["call_number"], r["isbn13"], r["local_code"],
        r["ddc"], r["category"], r["audience"], r["language"], r["title_id"]) for r in rows])


HANDLERS = [patch_title, post_classifications, get_unclassified, post_acquisition, withdraw_item, damage_item,
            library_labels, copy_changes]
