"""The catalogue's read side: plain SQL queries turned into the answer Structs of the API."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from kernel.isbn import Isbn, lookup_form
from pustaka.errors import Invalid, NotFound
from pustaka.sql import load
from services.catalog.domain.labels import is_valid_barcode

Q = load(__file__, "queries.sql")
ITEM_STATUSES = ("available", "on_loan", "lost", "damaged", "withdrawn")


class Library(msgspec.Struct):
    code: str
    name: str
    kind: str
    kecamatan: str
    kabupaten: str
    village: str
    kecamatan_code: str
    kabupaten_code: str
    province: str


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


def _library(r: asyncpg.Record) -> Library:
    return Library(**dict(r))


async def libraries(conn: asyncpg.Connection) -> list[Library]:
    return [_library(r) for r in await conn.fetch(Q.libraries)]


async def library(conn: asyncpg.Connection, code: str) -> Library:
    row = await conn.fetchrow(Q.library, code)
    if row is None:
        raise NotFound("library_not_found", f"no library has the code '{code}'", field="code")
    return _library(row)


def package_of(r: asyncpg.Record) -> Package:
    values = dict(r)
    values["library"] = values.pop("library_code")
    return Package(**values)


async def package(conn: asyncpg.Connection, package_id: int) -> Package:
    row = await conn.fetchrow(Q.package, package_id)
    if row is None:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    return package_of(row)


async def packages(conn: asyncpg.Connection, code: str) -> list[Package]:
    await library(conn, code)
    return [package_of(r) for r in await conn.fetch(Q.packages_of_library, code)]


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
    rows = await conn.fetch(Q.library_items_page, code, status, limit, offset)
    total = rows[0]["total"] if rows else await _count_items(conn, code, status)
    return ItemPage([ItemRow(r["barcode"], r["isbn13"], r["title"], r["status"], r["call_number"],
                             r["local_code"]) for r in rows], total, page, per_page)


async def _count_items(conn: asyncpg.Connection, code: str, status: str | None) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM catalog.items WHERE library_code = $1 AND ($2::text IS NULL OR status = $2)",
        code, status,
    )


async def titles(conn: asyncpg.Connection, code: str, page: int, per_page: int) -> TitlePage:
    await library(conn, code)
    limit, offset = _paging(page, per_page)
    rows = await conn.fetch(Q.library_titles_page, code, limit, offset)
    total = rows[0]["total"] if rows else 0
    return TitlePage([TitleRow(
        isbn13=r["isbn13"], local_code=r["local_code"], isbn=r["isbn_display"], title=r["title"],
        subtitle=r["subtitle"], authors=list(r["authors"]), publisher=r["publisher"], year=r["year"],
        language=r["language"], ddc=r["ddc"], category=r["category"], audience=r["audience"],
        copies=r["copies"], available=r["available"], call_number=r["call_number"],
    ) for r in rows], total, page, per_page)


async def title(conn: asyncpg.Connection, written: str) -> Title:
    """A title by any written ISBN (10 or 13, with or without hyphens) or by its local code."""
    isbn13 = lookup_form(written)
    local = written.strip().upper() if written.strip().upper().startswith("LOK") else None
    if isbn13 is None and local is None:
        raise Invalid("isbn_invalid", f"'{written}' is not a valid ISBN-10 or ISBN-13", field="isbn")
    row = await conn.fetchrow(Q.title_by_isbn, isbn13, local)
    if row is None:
        raise NotFound("title_not_found", f"no title with ISBN {written} is held by any library", field="isbn")
    holdings = [Holding(**dict(h)) for h in await conn.fetch(Q.title_holdings, row["id"])]
    isbn10 = Isbn(row["isbn13"]).isbn10 if row["isbn13"] else None
    return Title(
        isbn13=row["isbn13"], isbn10=isbn10, isbn=row["isbn_display"], local_code=row["local_code"],
        registration_group=row["registration_group"], title=row["title"], subtitle=row["subtitle"],
        authors=list(row["authors"]), publisher=row["publisher"], year=row["year"], language=row["language"],
        ddc=row["ddc"], category=row["category"], audience=row["audience"], holdings=holdings,
        subjects=list(row["subjects"]),
    )


async def item(conn: asyncpg.Connection, barcode: str) -> Item:
    code = barcode.strip()
    if not is_valid_barcode(code):
        raise Invalid("barcode_invalid", f"'{barcode}' is not a valid barcode (12 digits, last one a check digit)",
                      field="barcode")
    row = await conn.fetchrow(Q.item_by_barcode, code)
    if row is None:
        raise NotFound("item_not_found", f"no copy has barcode {code}", field="barcode")
    values = dict(row)
    values["library"] = values.pop("library_code")
    values["authors"] = list(values["authors"])
    return Item(**values)
