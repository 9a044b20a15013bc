"""The `ingest_package` use case: one manifest file becomes one aid package, in one transaction.

The CLI (`pustaka ingest`) and the HTTP upload (`POST .../libraries/{code}/packages`) both call this.
Reading, validating and labelling run in a worker thread, a chunk of rows at a time, and each chunk goes
to PostgreSQL at once: a 200,000-row manifest never holds the event loop for long (searches keep being
answered meanwhile), and memory does not grow with the manifest. The accepted rows are staged in a
temporary table where rows of one ISBN are merged and titles sorted (see ingest.sql); only the rejected
rows, which the report lists, are kept in memory. Everything happens in one transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple

import asyncpg
import msgspec

from kernel.clock import today as jakarta_today
from kernel.isbn import registration_group
from pustaka.errors import NotFound
from pustaka.sql import load
from services.catalog.domain.labels import barcode, call_number
from services.catalog.domain.manifest import Manifest, ManifestRow, open_manifest
from services.catalog.domain.rows import Book, Rejection, validate_row

Q = load(__file__, "queries.sql")
S = load(__file__, "ingest.sql")
CHUNK = 10_000
"""Rows read and validated per turn of the worker thread (and per statement of `store_titles`)."""
PAGE = 2_000
"""Rows per statement, COPY or fetch of the streamed ingest: asyncpg encodes and decodes rows on the event
loop, ~10 ms per thousand rows of titles, so a page is what the loop may spend before a search gets a turn."""
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


@dataclass(slots=True)
class Tally:
    """What the report needs of a streamed manifest: counts, and every rejected row (with its cells)."""

    rows: int = 0
    accepted_rows: int = 0
    recovered_isbns: int = 0
    rejections: list[tuple[Rejection, dict[str, str]]] = field(default_factory=list)


STAGED_COLUMNS = ["row_number", "isbn13", "isbn_display", "registration_group", "title", "subtitle", "authors",
                  "publisher", "year", "language", "ddc", "category", "audience", "subjects", "copies",
                  "call_number"]


def check_chunk(rows: Iterator[ManifestRow], tally: Tally) -> list[tuple]:
    """Read and validate up to CHUNK more rows (pure; runs in a worker thread): the staging records of the
    accepted ones; rejections and counts go to `tally`. An empty list: the manifest is read to its end."""
    records = []
    for row in itertools.islice(rows, CHUNK):
        tally.rows += 1
        book = validate_row(row)
        if isinstance(book, Rejection):
            tally.rejections.append((book, row.raw))
            continue
        tally.accepted_rows += 1
        tally.recovered_isbns += book.isbn.recovered
        isbn = book.isbn.isbn13
        records.append((
            book.row, isbn, book.isbn.display, registration_group(isbn), book.title, book.subtitle,
            "\x1f".join(book.authors), book.publisher, book.year, book.language, book.ddc, book.category,
            book.audience, "\x1f".join(book.subjects), book.copies,
            call_number(book.ddc, book.authors[0] if book.authors else None, book.title),
        ))
    return records


def file_checksum(file: BinaryIO) -> str:
    """The SHA-256 of a file, read in pieces (runs in a worker thread)."""
    file.seek(0)
    digest = hashlib.sha256()
    while piece := file.read(1024 * 1024):
        digest.update(piece)
    file.seek(0)
    return digest.hexdigest()


async def ingest_package(
    conn: asyncpg.Connection, *, library: str, data: bytes | None = None, file: BinaryIO | None = None,
    source_name: str, actor: str, program_year: int | None = None, received_on: dt.date | None = None,
    dry_run: bool = False, progress: Progress | None = None, checksum: str | None = None,
) -> IngestReport:
    """Read, validate and store one manifest for one library; the same file twice creates nothing new.

    The manifest comes as `data` or as a seekable binary `file` (an upload spooled to disk); it is read in
    chunks of CHUNK rows, so memory does not grow with the manifest (only its rejected rows are kept)."""
    notify = progress or (lambda stage, done, total: None)
    source = file if file is not None else io.BytesIO(data or b"")
    checksum = checksum or await asyncio.to_thread(file_checksum, source)
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    manifest = await asyncio.to_thread(open_manifest, source, source_name)
    if await conn.fetchrow(Q.library, library) is None:
        raise NotFound("library_not_found", f"no library has the code '{library}'", field="library")
    received_on = received_on or jakarta_today()  # the village's day, not the server's
    async with conn.transaction():
        await conn.execute(S.create_staging)
        tally = Tally()
        while records := await asyncio.to_thread(check_chunk, manifest.rows, tally):
            for start in range(0, len(records), PAGE):
                await conn.copy_records_to_table("ingest_rows", records=records[start:start + PAGE],
                                                 columns=STAGED_COLUMNS)
            notify("validate", source.tell(), size)  # bytes read: the number of rows is known at the end
        await conn.execute(S.merge_staging)
        totals = await conn.fetchrow(S.staging_totals)
        counts = Counts(tally.rows, tally.accepted_rows, totals["titles"], totals["items"],
                        tally.accepted_rows - totals["titles"], tally.recovered_isbns)
        report = functools.partial(_report, library, counts, tally, manifest.repairs)
        if dry_run:
            existing = await conn.fetchval(Q.package_by_checksum, library, checksum)
            await conn.execute(S.drop_staging)
            return report(existing, items_created=0 if existing else counts.items,
                          already_ingested=existing is not None)
        package_id = await conn.fetchval(
            Q.insert_package, library, program_year or received_on.year, source_name, checksum, received_on,
            *counts, actor,
        )
        if package_id is None:
            existing = await conn.fetchval(Q.package_by_checksum, library, checksum)
            await conn.execute(S.drop_staging)
            return report(existing, items_created=0, already_ingested=True)
        notify("store", 0, counts.items)
        await _store_staged(conn, library, package_id, received_on, notify, counts.items)
        await conn.execute(S.drop_staging)
        await store_rejections(conn, package_id, tally.rejections)
        await conn.execute(
            Q.audit, actor, "package.ingest", library, f"package:{package_id}",
            json.dumps({"source_name": source_name, "checksum": checksum, "items": counts.items,
                        "rejected": len(tally.rejections)}),
        )
        notify("store", counts.items, counts.items)
    return report(package_id, items_created=counts.items, already_ingested=False)


class Counts(NamedTuple):
    """The counts a package row keeps, in the order of `insert_package`'s parameters."""

    rows: int
    accepted_rows: int
    titles: int
    items: int
    duplicates_merged: int
    recovered_isbns: int


def _report(library: str, counts: Counts, tally: Tally, repairs: list, package_id: int | None, *,
            items_created: int, already_ingested: bool) -> IngestReport:
    return IngestReport(
        library=library, package_id=package_id, rows=counts.rows, accepted_rows=counts.accepted_rows,
        titles=counts.titles, items_created=items_created, duplicates_merged=counts.duplicates_merged,
        recovered_isbns=counts.recovered_isbns, already_ingested=already_ingested,
        rejected=[RejectedRow(r.row, r.field, r.value, r.code, r.message) for r, _ in tally.rejections],
        repaired=[RejectedRow(*r) for r in repairs],
    )


async def _store_staged(conn: asyncpg.Connection, library: str, package_id: int, received_on: dt.date,
                        notify: Progress, total: int) -> None:
    """Store the staged titles a page at a time, in ISBN order: titles, then their copies, then the outbox."""
    last, done = "", 0
    while page := await conn.fetch(S.staged_titles, last, PAGE):
        last = page[-1]["isbn13"]
        isbns = [r["isbn13"] for r in page]
        await conn.execute(
            Q.insert_titles, isbns, [r["isbn_display"] for r in page], [r["registration_group"] for r in page],
            *([r[c] for r in page] for c in ("title", "subtitle", "authors", "publisher", "year", "language",
                                              "ddc", "category", "audience", "subjects")),
        )
        await conn.execute(
            Q.fill_title_gaps, isbns,
            *([r[c] for r in page] for c in ("publisher", "year", "language", "ddc", "category", "audience")),
        )
        ids = {r["isbn13"]: r["id"] for r in await conn.fetch(Q.title_ids, isbns)}
        copies = [(ids[r["isbn13"]], r["call_number"], r["copies"]) for r in page]
        done += len(await insert_copies(conn, library, package_id, received_on, copies))
        notify("store", done, total)


def _labelled_records(library: str, package_id: int, acquired_on: dt.date, copies: list[tuple[int, str, int]],
                      numbers: list[int]) -> list[tuple]:
    """The rows of new copies whose call numbers are known (pure; run in a worker thread)."""
    reserved = iter(numbers)
    return [(barcode(next(reserved)), title_id, library, package_id, label, acquired_on)
            for title_id, label, count in copies for _ in range(count)]


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
    """Create the copies of validated books with fresh barcodes and call numbers."""
    labelled = [(title_id, call_number(book.ddc, book.authors[0] if book.authors else None, book.title), count)
                for title_id, book, count in copies]
    return await insert_copies(conn, library, package_id, acquired_on, labelled)


async def insert_copies(conn: asyncpg.Connection, library: str, package_id: int, acquired_on: dt.date,
                        copies: list[tuple[int, str, int]]) -> list[str]:
    """Insert `count` copies of each (title id, call number) with reserved barcodes, in pages of COPY so the
    event loop is never held long; queue their titles for the search index; return the barcodes."""
    numbers = [r["n"] for r in await conn.fetch(Q.reserve_item_numbers, sum(c for _, _, c in copies))]
    records = await asyncio.to_thread(_labelled_records, library, package_id, acquired_on, copies, numbers)
    for start in range(0, len(records), PAGE):
        await conn.copy_records_to_table(
            "items", schema_name="catalog", records=records[start:start + PAGE],
            columns=["barcode", "title_id", "library_code", "package_id", "call_number", "acquired_on"],
        )
    await conn.execute(Q.enqueue_search, library, sorted({t for t, _, _ in copies}))
    return [r[0] for r in records]


async def store_rejections(conn: asyncpg.Connection, package_id: int,
                           rejections: list[tuple[Rejection, dict[str, str]]]) -> None:
    """The rejected rows with their cells as the file had them, for the review list."""
    await conn.copy_records_to_table(
        "rejections", schema_name="catalog",
        records=[(package_id, r.row, r.field, r.value, r.code, r.message, json.dumps(raw)) for r, raw in rejections],
        columns=["package_id", "row_number", "field", "value", "code", "message", "raw"],
    )
