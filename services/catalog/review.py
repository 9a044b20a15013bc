"""The review list: rejected manifest rows fixed and re-submitted, accepted without ISBN, or dismissed."""

from __future__ import annotations

import json

import asyncpg
import msgspec

from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.sql import load
from services.catalog.domain.manifest import ManifestRow, map_headers
from services.catalog.domain.rows import Book, Rejection, validate_row
from services.catalog.ingest import create_items, store_titles

Q = load(__file__, "queries.sql")

FIELDS = ("isbn", "title", "subtitle", "authors", "publisher", "year", "copies", "ddc", "category", "language",
          "audience")


class RejectionView(msgspec.Struct):
    id: int
    package_id: int
    row: int
    field: str
    value: str
    code: str
    message: str
    values: dict[str, str]
    raw: dict[str, str]
    status: str
    resolved_by: str | None
    resolved_at: str | None
    fixed: dict[str, str] | None = None
    """The corrected values a fixed row was re-submitted with."""


class Resolution(msgspec.Struct):
    rejection: RejectionView
    title_id: int
    isbn13: str | None
    local_code: str | None
    barcodes: list[str]


def canonical_values(raw: dict[str, str]) -> dict[str, str]:
    """The row's values under canonical field names, from its cells under the file's own headers."""
    headers = list(raw)
    return {name: raw[headers[index]] for name, index in map_headers(headers).items()}


def view(row: asyncpg.Record) -> RejectionView:
    raw = json.loads(row["raw"]) if isinstance(row["raw"], str) else dict(row["raw"])
    fixed = raw.pop("_fixed", None)  # stored beside the file's cells; answered in a field of its own
    return RejectionView(
        id=row["id"], package_id=row["package_id"], row=row["row_number"], field=row["field"],
        value=row["value"], code=row["code"], message=row["message"], values=canonical_values(raw), raw=raw,
        status=row["status"], resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"].isoformat() if row["resolved_at"] else None, fixed=fixed,
    )


async def list_rejections(conn: asyncpg.Connection, package_id: int, status: str | None) -> list[RejectionView]:
    if await conn.fetchrow(Q.package, package_id) is None:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    return [view(r) for r in await conn.fetch(Q.package_rejections, package_id, status)]


async def _open_rejection(conn: asyncpg.Connection, package_id: int, rejection_id: int) -> asyncpg.Record:
    row = await conn.fetchrow(Q.rejection_for_update, rejection_id, package_id)
    if row is None:
        raise NotFound("rejection_not_found", f"package {package_id} has no rejected row {rejection_id}")
    if row["status"] != "open":
        raise Conflict("rejection_resolved", f"row {row['row_number']} was already resolved ({row['status']})")
    return row


def _fixed_row(row: asyncpg.Record, fixes: dict[str, str]) -> tuple[ManifestRow, dict[str, str]]:
    unknown = sorted(set(fixes) - set(FIELDS))
    if unknown:
        raise Invalid("unknown_field", f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    raw = json.loads(row["raw"]) if isinstance(row["raw"], str) else dict(row["raw"])
    values = canonical_values(raw) | {k: str(v) for k, v in fixes.items()}
    return ManifestRow(row["row_number"], values, raw), values


async def resubmit(conn: asyncpg.Connection, *, package_id: int, rejection_id: int, fixes: dict[str, str],
                   actor: str, without_isbn: bool = False) -> Resolution:
    """Validate the corrected row and add its copies to the package; or keep it open with the new reason."""
    async with conn.transaction():
        row = await _open_rejection(conn, package_id, rejection_id)
        fixed, values = _fixed_row(row, fixes)
        outcome = validate_row(fixed, allow_missing_isbn=without_isbn)
        if isinstance(outcome, Rejection):
            raise Invalid(outcome.code, f"row {outcome.row}: {outcome.message}", field=outcome.field,
                          extra={"value": outcome.value})
        if without_isbn and outcome.isbn is not None:
            raise Invalid("isbn_present", "this row has a valid ISBN: re-submit it instead", field="isbn")
        title_id, isbn13, local_code = await _title_for(conn, outcome)
        library = row["library_code"]
        barcodes = await create_items(conn, library, package_id, row["received_on"],
                                      [(title_id, outcome, outcome.copies)])
        status = "accepted_local" if without_isbn else "fixed"
        raw_after = json.loads(row["raw"]) if isinstance(row["raw"], str) else dict(row["raw"])
        raw_after["_fixed"] = values
        if await conn.fetchval(Q.resolve_rejection, rejection_id, status, actor, json.dumps(raw_after)) is None:
            raise Conflict("rejection_resolved", f"row {row['row_number']} was resolved at another desk")
        await conn.execute(Q.audit, actor, f"rejection.{status}", library, f"rejection:{rejection_id}",
                           json.dumps({"package_id": package_id, "items": len(barcodes)}))
        updated = await conn.fetchrow(Q.rejection_for_update, rejection_id, package_id)
    return Resolution(view(updated), title_id, isbn13, local_code, barcodes)


async def _title_for(conn: asyncpg.Connection, book: Book) -> tuple[int, str | None, str | None]:
    if book.isbn is not None:
        ids = await store_titles(conn, [book])
        return ids[book.isbn.isbn13], book.isbn.isbn13, None
    created = await conn.fetchrow(
        Q.insert_local_title, book.title, book.subtitle, list(book.authors), book.publisher, book.year,
        book.language, book.ddc, book.category, book.audience,
    )
    return created["id"], None, created["local_code"]


async def dismiss(conn: asyncpg.Connection, *, package_id: int, rejection_id: int, actor: str) -> RejectionView:
    """Close a rejected row that is not a book of this package (a subtotal line, a note)."""
    async with conn.transaction():
        row = await _open_rejection(conn, package_id, rejection_id)
        if await conn.fetchval(Q.resolve_rejection, rejection_id, "dismissed", actor, row["raw"]) is None:
            raise Conflict("rejection_resolved", f"row {row['row_number']} was resolved at another desk")
        await conn.execute(Q.audit, actor, "rejection.dismissed", row["library_code"],
                           f"rejection:{rejection_id}", json.dumps({"package_id": package_id}))
        return view(await conn.fetchrow(Q.rejection_for_update, rejection_id, package_id))
