"""The review list: rejected manifest rows fixed and re-submitted, accepted without ISBN, or dismissed.

Use cases: `rejections` (the list), `resubmit` and `dismiss`, each in one unit of work of the catalogue."""

from __future__ import annotations

import json

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.domain.manifest import ManifestRow, map_headers
from services.catalog.domain.rows import Book, Rejection, validate_row
from services.catalog.ingest import create_items, store_titles
from services.catalog.queries import catalogue as q
from services.catalog.service import Catalogue

FIELDS = (
    "isbn",
    "title",
    "subtitle",
    "authors",
    "publisher",
    "year",
    "copies",
    "ddc",
    "category",
    "language",
    "audience",
)


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


class Resubmission(msgspec.Struct, forbid_unknown_fields=True):
    """Corrected values of a rejected row (by canonical field name), or its acceptance without ISBN."""

    values: dict[str, str] = {}
    without_isbn: bool = False


REJECTION_STATUSES = (None, "open", "fixed", "accepted_local", "dismissed", "all")


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


def view(row: q.RejectionRow) -> RejectionView:
    raw = json.loads(row.raw)
    fixed = raw.pop("_fixed", None)  # stored beside the file's cells; answered in a field of its own
    return RejectionView(
        id=row.id,
        package_id=row.package_id,
        row=row.row_number,
        field=row.field,
        value=row.value,
        code=row.code,
        message=row.message,
        values=canonical_values(raw),
        raw=raw,
        status=row.status,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at.isoformat() if row.resolved_at else None,
        fixed=fixed,
    )


async def rejections(catalogue: Catalogue, package_id: int, status: str | None) -> list[RejectionView]:
    """A package's rejected rows with `status` (`all` or None: every one), in the file's order."""
    if status not in REJECTION_STATUSES:
        raise Invalid("status_invalid", "status must be open, fixed, accepted_local, dismissed or all", field="status")
    return await catalogue.read(lambda conn: list_rejections(conn, package_id, None if status == "all" else status))


async def list_rejections(conn: asyncpg.Connection, package_id: int, status: str | None) -> list[RejectionView]:
    if await q.package(conn, package_id=package_id) is None:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    return [view(r) for r in await q.package_rejections(conn, package_id=package_id, status=status)]


async def _authorise_package(catalogue: Catalogue, staff: Staff, package_id: int) -> None:
    """Only staff of the package's library (or above it) touch its review list."""
    package = await catalogue.read(lambda conn: views.package(conn, package_id))
    authorise(staff, Action.CATALOGUE, package.library)


async def resubmit(
    catalogue: Catalogue, staff: Staff, package_id: int, rejection_id: int, fix: Resubmission, once: Once | None = None
) -> Resolution:
    """Validate the corrected row and add its copies to the package; or keep it open with the new reason."""
    await _authorise_package(catalogue, staff, package_id)
    return await catalogue.write(
        lambda conn: _resubmit(
            conn,
            package_id=package_id,
            rejection_id=rejection_id,
            fixes=fix.values,
            actor=staff.username,
            without_isbn=fix.without_isbn,
        ),
        once,
    )


async def dismiss(
    catalogue: Catalogue, staff: Staff, package_id: int, rejection_id: int, once: Once | None = None
) -> RejectionView:
    """Close a rejected row that is not a book of this package (a subtotal line, a note)."""
    await _authorise_package(catalogue, staff, package_id)
    return await catalogue.write(
        lambda conn: _dismiss(conn, package_id=package_id, rejection_id=rejection_id, actor=staff.username), once
    )


async def _open_rejection(conn: asyncpg.Connection, package_id: int, rejection_id: int) -> q.RejectionRow:
    row = await q.rejection_for_update(conn, rejection_id=rejection_id, package_id=package_id)
    if row is None:
        raise NotFound("rejection_not_found", f"package {package_id} has no rejected row {rejection_id}")
    if row.status != "open":
        raise Conflict("rejection_resolved", f"row {row.row_number} was already resolved ({row.status})")
    return row


def _fixed_row(row: q.RejectionRow, fixes: dict[str, str]) -> tuple[ManifestRow, dict[str, str]]:
    unknown = sorted(set(fixes) - set(FIELDS))
    if unknown:
        raise Invalid("unknown_field", f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    raw = json.loads(row.raw)
    values = canonical_values(raw) | {k: str(v) for k, v in fixes.items()}
    return ManifestRow(row.row_number, values, raw), values


async def _resubmit(
    conn: asyncpg.Connection,
    *,
    package_id: int,
    rejection_id: int,
    fixes: dict[str, str],
    actor: str,
    without_isbn: bool = False,
) -> Resolution:
    async with conn.transaction():
        row = await _open_rejection(conn, package_id, rejection_id)
        fixed, values = _fixed_row(row, fixes)
        outcome = validate_row(fixed, allow_missing_isbn=without_isbn)
        if isinstance(outcome, Rejection):
            raise Invalid(
                outcome.code,
                f"row {outcome.row}: {outcome.message}",
                field=outcome.field,
                extra={"value": outcome.value},
            )
        if without_isbn and outcome.isbn is not None:
            raise Invalid("isbn_present", "this row has a valid ISBN: re-submit it instead", field="isbn")
        title_id, isbn13, local_code = await _title_for(conn, outcome)
        library = row.library_code
        assert row.received_on is not None  # rejection_for_update joins its package
        barcodes = await create_items(conn, library, package_id, row.received_on, [(title_id, outcome, outcome.copies)])
        status = "accepted_local" if without_isbn else "fixed"
        raw_after = json.loads(row.raw)
        raw_after["_fixed"] = values
        if (
            await q.resolve_rejection(
                conn, rejection_id=rejection_id, status=status, actor=actor, raw=json.dumps(raw_after)
            )
            is None
        ):
            raise Conflict("rejection_resolved", f"row {row.row_number} was resolved at another desk")
        await q.audit(
            conn,
            actor=actor,
            action=f"rejection.{status}",
            library=library,
            target=f"rejection:{rejection_id}",
            detail=json.dumps({"package_id": package_id, "items": len(barcodes)}),
        )
        updated = await _rejection(conn, package_id, rejection_id)
    return Resolution(view(updated), title_id, isbn13, local_code, barcodes)


async def _rejection(conn: asyncpg.Connection, package_id: int, rejection_id: int) -> q.RejectionRow:
    row = await q.rejection_for_update(conn, rejection_id=rejection_id, package_id=package_id)
    assert row is not None  # locked by this transaction
    return row


async def _title_for(conn: asyncpg.Connection, book: Book) -> tuple[int, str | None, str | None]:
    if book.isbn is not None:
        ids = await store_titles(conn, [book])
        return ids[book.isbn.isbn13], book.isbn.isbn13, None
    created = await q.insert_local_title(
        conn,
        title=book.title,
        subtitle=book.subtitle,
        authors=list(book.authors),
        publisher=book.publisher,
        year=book.year,
        language=book.language,
        ddc=book.ddc,
        category=book.category,
        audience=book.audience,
    )
    assert created is not None  # INSERT … RETURNING
    return created.id, None, created.local_code


async def _dismiss(conn: asyncpg.Connection, *, package_id: int, rejection_id: int, actor: str) -> RejectionView:
    async with conn.transaction():
        row = await _open_rejection(conn, package_id, rejection_id)
        if (
            await q.resolve_rejection(conn, rejection_id=rejection_id, status="dismissed", actor=actor, raw=row.raw)
            is None
        ):
            raise Conflict("rejection_resolved", f"row {row.row_number} was resolved at another desk")
        await q.audit(
            conn,
            actor=actor,
            action="rejection.dismissed",
            library=row.library_code,
            target=f"rejection:{rejection_id}",
            detail=json.dumps({"package_id": package_id}),
        )
        return view(await _rejection(conn, package_id, rejection_id))
