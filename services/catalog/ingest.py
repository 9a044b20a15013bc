"""The `ingest_package` use case: one manifest file becomes one aid package, in one transaction.

The CLI (`pustaka ingest`) and the HTTP upload (`POST .../libraries/{code}/packages`) both call this.
Reading, validating and labelling run in a worker thread, and the rows go to PostgreSQL in chunks, so a
200,000-row manifest never holds the event loop for long: searches keep being answered meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
import msgspec

from kernel.clock import today as jakarta_today
from kernel.isbn import registration_group
from pustaka.errors import NotFound
from pustaka.sql import load
from services.catalog.domain.labels import barcode, call_number
from services.catalog.domain.manifest import Manifest, read_manifest
from services.catalog.domain.rows import Book, Rejection, validate_row

Q = load(__file__, "queries.sql")
CHUNK = 10_000
"""Rows per statement or COPY when storing: the loop gets a turn between chunks."""
Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): how far the ingest is, for a progress bar."""


class RejectedRow(msgspec.Struct):
    row: int
    field: str
    value: str
    code: str
    message: str


class IngestReport(msgspec.Struct, omit_defaults=True):
    """The report of DESIGN.md: the CLI's `--json` prints exactly this object (`repaired` only when not empty)."""

    library: str
    package_id: int | None
    rows: int
    accepted_rows: int
    titles: int
    items_created: int
    duplicates_merged: int
    recovered_isbns: int
    already_ingested: bool
    rejected: list[RejectedRow]
    repaired: list[RejectedRow] = []
    """What the reader mended in rows it accepted (MARC records: blank indicators, a missing leader, ...)."""


@dataclass(frozen=True, slots=True)
class TitleCopies:
    """One distinct title of a manifest: the metadata of its first row and the copies of all its rows."""

    book: Book
    copies: int


@dataclass(slots=True)
class CheckedManifest:
    manifest: Manifest
    titles: list[TitleCopies]
    rejections: list[Rejection]
    accepted_rows: int
    duplicates_merged: int
    recovered_isbns: int

    @property
    def items(self) -> int:
        return sum(t.copies for t in self.titles)


def check_manifest(manifest: Manifest) -> CheckedManifest:
    """Validate every row and merge rows of the same ISBN-13 (pure: no database)."""
    merged: dict[str, TitleCopies] = {}
    rejections: list[Rejection] = []
    accepted = duplicates = recovered = 0
    for row in manifest.rows:
        outcome = validate_row(row)
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
            continue
        accepted += 1
        recovered += outcome.isbn.recovered
        key = outcome.isbn.isbn13
        if key in merged:
            duplicates += 1
            merged[key] = TitleCopies(merged[key].book, merged[key].copies + outcome.copies)
        else:
            merged[key] = TitleCopies(outcome, outcome.copies)
    titles = sorted(merged.values(), key=lambda t: t.book.isbn.isbn13)
    return CheckedManifest(manifest, titles, rejections, accepted, duplicates, recovered)


def _report(library: str, package_id: int | None, checked: CheckedManifest, *, items_created: int,
            already_ingested: bool) -> IngestReport:
    return IngestReport(
        library=library, package_id=package_id, rows=len(checked.manifest.rows),
        accepted_rows=checked.accepted_rows, titles=len(checked.titles), items_created=items_created,
        duplicates_merged=checked.duplicates_merged, recovered_isbns=checked.recovered_isbns,
        already_ingested=already_ingested,
        rejected=[RejectedRow(r.row, r.field, r.value, r.code, r.message) for r in checked.rejections],
        repaired=[RejectedRow(*r) for r in checked.manifest.repairs],
    )


async def ingest_package(
    conn: asyncpg.Connection, *, library: str, data: bytes, source_name: str, actor: str,
    program_year: int | None = None, received_on: dt.date | None = None, dry_run: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Read, validate and store one manifest for one library; the same file twice creates nothing new."""
    notify = progress or (lambda stage, done, total: None)
    manifest = await asyncio.to_thread(read_manifest, data, source_name)
    if await conn.fetchrow(Q.library, library) is None:
        raise NotFound("library_not_found", f"no library has the code '{library}'", field="library")
    notify("validate", 0, len(manifest.rows))
    checked = await asyncio.to_thread(check_manifest, manifest)
    notify("validate", len(manifest.rows), len(manifest.rows))
    checksum = hashlib.sha256(data).hexdigest()
    received_on = received_on or jakarta_today()  # the village's day, not the server's
    if dry_run:
        existing = await conn.fetchval(Q.package_by_checksum, library, checksum)
        return _report(library, existing, checked, items_created=0 if existing else checked.items,
                       already_ingested=existing is not None)
    async with conn.transaction():
        package_id = await conn.fetchval(
            Q.insert_package, library, program_year or received_on.year, source_name, checksum, received_on,
            len(manifest.rows), checked.accepted_rows, len(checked.titles), checked.items,
            checked.duplicates_merged, checked.recovered_isbns, actor,
        )
        if package_id is None:
            existing = await conn.fetchval(Q.package_by_checksum, library, checksum)
            return _report(library, existing, checked, items_created=0, already_ingested=True)
        notify("store", 0, checked.items)
        await _store(conn, library, package_id, received_on, checked)
        await conn.execute(
            Q.audit, actor, "package.ingest", library, f"package:{package_id}",
            json.dumps({"source_name": source_name, "checksum": checksum, "items": checked.items,
                        "rejected": len(checked.rejections)}),
        )
        notify("store", checked.items, checked.items)
    return _report(library, package_id, checked, items_created=checked.items, already_ingested=False)


async def _store(conn: asyncpg.Connection, library: str, package_id: int, received_on: dt.date,
                 checked: CheckedManifest) -> None:
    books = [t.book for t in checked.titles]
    title_ids = await store_titles(conn, books)
    copies = [(title_ids[t.book.isbn.isbn13], t.book, t.copies) for t in checked.titles]
    await create_items(conn, library, package_id, received_on, copies)
    await store_rejections(conn, package_id, checked)


async def store_titles(conn: asyncpg.Connection, books: list[Book]) -> dict[str, int]:
    """Insert the titles not yet known, fill gaps in known ones; return ISBN-13 -> title id."""
    if not books:
        return {}
    ids: dict[str, int] = {}
    for start in range(0, len(books), CHUNK):
        ids |= await _store_title_chunk(conn, books[start:start + CHUNK])
    return ids


async def _store_title_chunk(conn: asyncpg.Connection, books: list[Book]) -> dict[str, int]:
    isbns, displays, groups = await asyncio.to_thread(_isbn_columns, books)
    await conn.execute(
        Q.insert_titles, isbns, displays, groups, [b.title for b in books], [b.subtitle for b in books],
        ["\x1f".join(b.authors) for b in books], [b.publisher for b in books], [b.year for b in books],
        [b.language for b in books], [b.ddc for b in books], [b.category for b in books],
        [b.audience for b in books], ["\x1f".join(b.subjects) for b in books],
    )
    await conn.execute(
        Q.fill_title_gaps, isbns, [b.publisher for b in books], [b.year for b in books],
        [b.language for b in books], [b.ddc for b in books], [b.category for b in books],
        [b.audience for b in books],
    )
    return {r["isbn13"]: r["id"] for r in await conn.fetch(Q.title_ids, isbns)}


def _isbn_columns(books: list[Book]) -> tuple[list[str], list[str], list[str | None]]:
    """ISBN-13, hyphenated form and registration group of each book: isbnlib's work, about 0.1 ms a book,
    so it runs in a worker thread (10,000 books would hold the event loop for a second)."""
    isbns = [b.isbn.isbn13 for b in books]
    return isbns, [b.isbn.display for b in books], [registration_group(i) for i in isbns]


async def create_items(conn: asyncpg.Connection, library: str, package_id: int, acquired_on: dt.date,
                       copies: list[tuple[int, Book, int]]) -> list[str]:
    """Create the copies with fresh barcodes and call numbers; queue their titles for the search index."""
    total = sum(count for _, _, count in copies)
    numbers = [r["n"] for r in await conn.fetch(Q.reserve_item_numbers, total)]
    records = await asyncio.to_thread(_item_records, library, package_id, acquired_on, copies, numbers)
    for start in range(0, len(records), CHUNK):
        await conn.copy_records_to_table(
            "items", schema_name="catalog", records=records[start:start + CHUNK],
            columns=["barcode", "title_id", "library_code", "package_id", "call_number", "acquired_on"],
        )
    await conn.execute(Q.enqueue_search, library, sorted({t for t, _, _ in copies}))
    return [r[0] for r in records]


def _item_records(library: str, package_id: int, acquired_on: dt.date, copies: list[tuple[int, Book, int]],
                  numbers: list[int]) -> list[tuple]:
    """The rows of the new copies, with barcodes and call numbers (pure; run in a worker thread)."""
    reserved = iter(numbers)
    records = []
    for title_id, book, count in copies:
        label = call_number(book.ddc, book.authors[0] if book.authors else None, book.title)
        for _ in range(count):
            records.append((barcode(next(reserved)), title_id, library, package_id, label, acquired_on))
    return records


async def store_rejections(conn: asyncpg.Connection, package_id: int, checked: CheckedManifest) -> None:
    raw_by_row = {row.number: row.raw for row in checked.manifest.rows}
    await conn.copy_records_to_table(
        "rejections", schema_name="catalog",
        records=[(package_id, r.row, r.field, r.value, r.code, r.message, json.dumps(raw_by_row[r.row]))
                 for r in checked.rejections],
        columns=["package_id", "row_number", "field", "value", "code", "message", "raw"],
    )
