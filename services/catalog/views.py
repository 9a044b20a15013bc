"""The catalogue's read side: plain SQL queries turned into the answer Structs of the API."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from kernel.isbn import Isbn, lookup_form
from pustaka.errors import Invalid, NotFound
from services.catalog.domain.labels import is_valid_barcode
from services.catalog.queries import catalogue as q
from services.catalog.queries.catalogue import Library

__all__ = ["Library"]
ITEM_STATUSES = ("available", "on_loan", "lost", "damaged", "withdrawn")


class Package(msgspec.Struct):
    id: int
    library: str
    program_year: int
    source_name: str
    checksum: str
    received_on: dt.date
    rows: int
    accepted_rows: int
    titles: int
    items_created: int
    duplicates_merged: int
    recovered_isbns: int
    open_rejections: int
    created_by: str
    created_at: dt.datetime


class ItemRow(msgspec.Struct):
    barcode: str
    isbn13: str | None
    title: str
    status: str
    call_number: str
    local_code: str | None = None


class ItemPage(msgspec.Struct):
    items: list[ItemRow]
    total: int
    page: int
    per_page: int


class TitleFacts(msgspec.Struct, kw_only=True):
    """What a title is, as every answer about a title shows it."""

    isbn13: str | None
    local_code: str | None
    isbn: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    category: str | None
    audience: str | None


class TitleRow(TitleFacts, kw_only=True):
    copies: int
    available: int
    call_number: str


class TitlePage(msgspec.Struct):
    titles: list[TitleRow]
    total: int
    page: int
    per_page: int


class Holding(msgspec.Struct):
    library: str
    library_name: str
    kecamatan: str
    copies: int
    available: int
    call_number: str


class Title(TitleFacts, kw_only=True):
    isbn10: str | None
    registration_group: str | None
    holdings: list[Holding]
    subjects: list[str] = []


class Item(msgspec.Struct):
    barcode: str
    library: str
    package_id: int | None
    call_number: str
    status: str
    acquired_on: dt.date
    isbn13: str | None
    local_code: str | None
    title: str
    authors: list[str]
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    title_id: int | None = None


async def libraries(conn: asyncpg.Connection) -> list[Library]:
    return await q.libraries(conn)


async def library(conn: asyncpg.Connection, code: str) -> Library:
    row = await q.library(conn, code=code)
    if row is None:
        raise NotFound("library_not_found", f"no library has the code '{code}'", field="code")
    return row


def package_of(r: q.PackageRow) -> Package:
    return Package(
        id=r.id,
        library=r.library_code,
        program_year=r.program_year,
        source_name=r.source_name,
        checksum=r.checksum,
        received_on=r.received_on,
        rows=r.rows,
        accepted_rows=r.accepted_rows,
        titles=r.titles,
        items_created=r.items_created,
        duplicates_merged=r.duplicates_merged,
        recovered_isbns=r.recovered_isbns,
        open_rejections=r.open_rejections,
        created_by=r.created_by,
        created_at=r.created_at,
    )


async def package(conn: asyncpg.Connection, package_id: int) -> Package:
    row = await q.package(conn, package_id=package_id)
    if row is None:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    return package_of(row)


async def packages(conn: asyncpg.Connection, code: str) -> list[Package]:
    await library(conn, code)
    return [package_of(r) for r in await q.packages_of_library(conn, library=code)]


def _paging(page: int, per_page: int) -> tuple[int, int]:
    if page < 1:
        raise Invalid("page_invalid", "page must be 1 or more", field="page")
    if not 1 <= per_page <= 500:
        raise Invalid("per_page_invalid", "per_page must be between 1 and 500", field="per_page")
    return per_page, (page - 1) * per_page


async def items(conn: asyncpg.Connection, code: str, status: str | None, page: int, per_page: int) -> ItemPage:
    if status is not None and status not in ITEM_STATUSES:
        raise Invalid("status_invalid", f"status must be one of {', '.join(ITEM_STATUSES)}", field="status")
    await library(conn, code)
    limit, offset = _paging(page, per_page)
    rows = await q.library_items_page(conn, library=code, status=status, limit=limit, offset=offset)
    total = rows[0].total if rows else await q.library_items_count(conn, library=code, status=status) or 0
    return ItemPage(
        [ItemRow(r.barcode, r.isbn13, r.title, r.status, r.call_number, r.local_code) for r in rows],
        total,
        page,
        per_page,
    )


async def titles(conn: asyncpg.Connection, code: str, page: int, per_page: int) -> TitlePage:
    await library(conn, code)
    limit, offset = _paging(page, per_page)
    rows = await q.library_titles_page(conn, library=code, limit=limit, offset=offset)
    total = rows[0].total if rows else 0
    return TitlePage(
        [
            TitleRow(
                isbn13=r.isbn13,
                local_code=r.local_code,
                isbn=r.isbn_display,
                title=r.title,
                subtitle=r.subtitle,
                authors=r.authors,
                publisher=r.publisher,
                year=r.year,
                language=r.language,
                ddc=r.ddc,
                category=r.category,
                audience=r.audience,
                copies=r.copies,
                available=r.available,
                call_number=r.call_number,
            )
            for r in rows
        ],
        total,
        page,
        per_page,
    )


async def title(conn: asyncpg.Connection, written: str) -> Title:
    """A title by any written ISBN (10 or 13, with or without hyphens) or by its local code."""
    isbn13 = lookup_form(written)
    local = written.strip().upper() if written.strip().upper().startswith("LOK") else None
    if isbn13 is None and local is None:
        raise Invalid("isbn_invalid", f"'{written}' is not a valid ISBN-10 or ISBN-13", field="isbn")
    row = await q.title_by_isbn(conn, isbn13=isbn13, local_code=local)
    if row is None:
        raise NotFound("title_not_found", f"no title with ISBN {written} is held by any library", field="isbn")
    holdings = [
        Holding(h.library, h.library_name, h.kecamatan, h.copies, h.available, h.call_number)
        for h in await q.title_holdings(conn, title_id=row.id)
    ]
    isbn10 = Isbn(row.isbn13).isbn10 if row.isbn13 else None
    return Title(
        isbn13=row.isbn13,
        isbn10=isbn10,
        isbn=row.isbn_display,
        local_code=row.local_code,
        registration_group=row.registration_group,
        title=row.title,
        subtitle=row.subtitle,
        authors=row.authors,
        publisher=row.publisher,
        year=row.year,
        language=row.language,
        ddc=row.ddc,
        category=row.category,
        audience=row.audience,
        holdings=holdings,
        subjects=row.subjects,
    )


async def item(conn: asyncpg.Connection, barcode: str) -> Item:
    code = barcode.strip()
    if not is_valid_barcode(code):
        raise Invalid(
            "barcode_invalid",
            f"'{barcode}' is not a valid barcode (12 digits, last one a check digit)",
            field="barcode",
        )
    row = await q.item_by_barcode(conn, barcode=code)
    if row is None:
        raise NotFound("item_not_found", f"no copy has barcode {code}", field="barcode")
    return Item(
        barcode=row.barcode,
        library=row.library_code,
        package_id=row.package_id,
        call_number=row.call_number,
        status=row.status,
        acquired_on=row.acquired_on,
        isbn13=row.isbn13,
        local_code=row.local_code,
        title=row.title,
        authors=row.authors,
        ddc=row.ddc,
        category=row.category,
        audience=row.audience,
        language=row.language,
        title_id=row.title_id,
    )
