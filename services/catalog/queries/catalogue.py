"""The catalogue's main queries (catalogue.sql): libraries, packages, titles, copies, the review list, the
audit log. Column arrays (`unnest`) take one list per column, one element per row."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "catalogue.sql")


class Library(msgspec.Struct):
    """A library of the directory (also the API's answer, field for field)."""

    code: str
    name: str
    kind: str
    kecamatan: str
    kabupaten: str
    village: str
    kecamatan_code: str
    kabupaten_code: str
    province: str


class PackageRow(msgspec.Struct):
    id: int
    library_code: str
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
    created_by: str
    created_at: dt.datetime
    open_rejections: int


class TitleId(msgspec.Struct):
    id: int
    isbn13: str


class LocalTitle(msgspec.Struct):
    id: int
    local_code: str


class ItemNumber(msgspec.Struct):
    n: int


class RejectionRow(msgspec.Struct):
    id: int
    package_id: int
    row_number: int
    field: str
    value: str
    code: str
    message: str
    raw: str
    """The row's cells as the file had them (jsonb, as text)."""
    status: str
    resolved_by: str | None
    resolved_at: dt.datetime | None
    library_code: str = ""
    received_on: dt.date | None = None


class ItemPageRow(msgspec.Struct):
    barcode: str
    isbn13: str | None
    local_code: str | None
    title: str
    status: str
    call_number: str
    total: int


class TitlePageRow(msgspec.Struct):
    id: int
    isbn13: str | None
    local_code: str | None
    isbn_display: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    category: str | None
    audience: str | None
    copies: int
    available: int
    call_number: str
    total: int


class TitleRecord(msgspec.Struct):
    id: int
    isbn13: str | None
    local_code: str | None
    isbn_display: str | None
    registration_group: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    category: str | None
    audience: str | None
    subjects: list[str]


class TitleHolding(msgspec.Struct):
    library: str
    library_name: str
    kecamatan: str
    copies: int
    available: int
    call_number: str


class ItemRecord(msgspec.Struct):
    barcode: str
    library_code: str
    package_id: int | None
    call_number: str
    status: str
    acquired_on: dt.date
    title_id: int
    isbn13: str | None
    local_code: str | None
    title: str
    authors: list[str]
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None


library = Q.one("library", Library)
libraries = Q.all("libraries", Library)
upsert_libraries = Q.execute("upsert_libraries")
package_by_checksum = Q.value("package_by_checksum", int)
insert_package = Q.value("insert_package", int)
"""The new package's id, or None when this library already has a package of this checksum."""
insert_titles = Q.execute("insert_titles")
"""Titles not yet known (authors and subjects joined by U+001F); rows sorted by ISBN lock in one order."""
fill_title_gaps = Q.execute("fill_title_gaps")
title_ids = Q.all("title_ids", TitleId)
insert_local_title = Q.one("insert_local_title", LocalTitle)
reserve_item_numbers = Q.all("reserve_item_numbers", ItemNumber)
enqueue_search = Q.execute("enqueue_search")
audit = Q.execute("audit")
"""One audit row; `detail` is a JSON document as text."""
package = Q.one("package", PackageRow)
packages_of_library = Q.all("packages_of_library", PackageRow)
package_rejections = Q.all("package_rejections", RejectionRow)
rejection_for_update = Q.one("rejection_for_update", RejectionRow)
resolve_rejection = Q.value("resolve_rejection", int)
"""The rejection's id, or None when another desk resolved it first."""
library_items_page = Q.all("library_items_page", ItemPageRow)
library_items_count = Q.value("library_items_count", int)
library_titles_page = Q.all("library_titles_page", TitlePageRow)
title_by_isbn = Q.one("title_by_isbn", TitleRecord)
title_holdings = Q.all("title_holdings", TitleHolding)
item_by_barcode = Q.one("item_by_barcode", ItemRecord)
