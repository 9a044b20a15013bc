"""The `ingest` use case: one manifest file becomes one aid package, in one transaction.

The CLI (`pustaka ingest`) and the HTTP upload (`POST .../libraries/{code}/packages`) both call `ingest`,
which authorises, takes the day the package arrived from the catalogue's clock (a Jakarta date) and runs
`ingest_package` (the work itself, on a connection: what seeding and tests call) in one unit of work.
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

from kernel.clock import SYSTEM, Clock
from kernel.isbn import Isbn, registration_group
from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid, NotFound
from pustaka.unit_of_work import Once
from services.catalog.domain.labels import barcode, call_number
from services.catalog.domain.manifest import MAX_BYTES, Manifest, ManifestRow, UnusableManifest, open_manifest
from services.catalog.domain.rows import Book, Rejection, validate_row
from services.catalog.queries import catalogue as q
from services.catalog.queries import ingest as staging
from services.catalog.queries.ingest import STAGED_COLUMNS
from services.catalog.service import Catalogue

CHUNK = 10_000
"""Rows read and validated per turn of the worker thread (and per statement of `store_titles`)."""
PAGE = 2_000
"""Rows per statement, COPY or fetch of the streamed ingest: asyncpg encodes and decodes rows on the event
loop, ~10 ms per thousand rows of titles, so a page is what the loop may spend before a search gets a turn."""
Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): how far the ingest is, for a progress bar."""
TITLE_COLUMNS = (
    "isbn13",
    "isbn_display",
    "registration_group",
    "title",
    "subtitle",
    "authors",
    "publisher",
    "year",
    "language",
    "ddc",
    "category",
    "audience",
    "subjects",
)
"""A page of staged titles as the column arrays `insert_titles` takes."""
GAP_COLUMNS = ("isbn13", "publisher", "year", "language", "ddc", "category", "audience")
"""The columns `fill_title_gaps` fills where a title already stored has none."""


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


def _isbn(book: Book) -> Isbn:
    """A manifest row's ISBN: only the review list accepts a book without one."""
    if book.isbn is None:
        raise ValueError(f"row {book.row} has no ISBN")
    return book.isbn


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
        recovered += _isbn(outcome).recovered
        key = _isbn(outcome).isbn13
        if key in merged:
            duplicates += 1
            merged[key] = TitleCopies(merged[key].book, merged[key].copies + outcome.copies)
        else:
            merged[key] = TitleCopies(outcome, outcome.copies)
    titles = sorted(merged.values(), key=lambda t: _isbn(t.book).isbn13)
    return CheckedManifest(manifest, titles, rejections, accepted, duplicates, recovered)


@dataclass(slots=True)
class Tally:
    """What the report needs of a streamed manifest: counts, and every rejected row (with its cells)."""

    rows: int = 0
    accepted_rows: int = 0
    recovered_isbns: int = 0
    rejections: list[tuple[Rejection, dict[str, str]]] = field(default_factory=list)


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
        tally.recovered_isbns += _isbn(book).recovered
        isbn = _isbn(book).isbn13
        records.append(
            (
                book.row,
                isbn,
                _isbn(book).display,
                registration_group(isbn),
                book.title,
                book.subtitle,
                "\x1f".join(book.authors),
                book.publisher,
                book.year,
                book.language,
                book.ddc,
                book.category,
                book.audience,
                "\x1f".join(book.subjects),
                book.copies,
                call_number(book.ddc, book.authors[0] if book.authors else None, book.title),
            )
        )
    return records


def file_checksum(file: BinaryIO) -> str:
    """The SHA-256 of a file, read in pieces (runs in a worker thread)."""
    file.seek(0)
    digest = hashlib.sha256()
    while piece := file.read(1024 * 1024):
        digest.update(piece)
    file.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class Delivery:
    """A manifest to ingest: the file (seekable: an upload spooled to disk, or a file opened on the command
    line) and what the librarian said about the package."""

    library: str
    file: BinaryIO
    source_name: str
    program_year: int | None = None
    received_on: dt.date | None = None
    """The day the package arrived; the catalogue's today (in Jakarta) when not given."""
    dry_run: bool = False


UploadKey = Callable[[str], Once | None]
"""The Idempotency-Key of an upload, given the file's checksum: a replay is recognised by the file's content
without the file ever being held in memory."""


def answer_status(delivery: Delivery, report: IngestReport) -> int:
    """201 when a package was created; 200 for a dry run or a file already ingested."""
    return 200 if report.already_ingested or delivery.dry_run else 201


async def ingest(
    catalogue: Catalogue,
    staff: Staff,
    delivery: Delivery,
    key: UploadKey | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one manifest for one library, as `staff`; the same file twice creates nothing new."""
    authorise(staff, Action.CATALOGUE, delivery.library)
    size = delivery.file.seek(0, io.SEEK_END)
    if size > MAX_BYTES:
        raise Invalid("file_too_large", f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}", field="file")
    checksum = await asyncio.to_thread(file_checksum, delivery.file)
    received_on = delivery.received_on or catalogue.clock.today()

    async def work(conn: asyncpg.Connection) -> IngestReport:
        try:
            return await ingest_package(
                conn,
                library=delivery.library,
                file=delivery.file,
                checksum=checksum,
                source_name=delivery.source_name,
                actor=staff.username,
                program_year=delivery.program_year,
                received_on=received_on,
                dry_run=delivery.dry_run,
                progress=progress,
            )
        except UnusableManifest as exc:
            raise Invalid(exc.code, exc.message, field="file") from None

    return await catalogue.write(
        work, key(checksum) if key else None, status=functools.partial(answer_status, delivery)
    )


async def ingest_package(
    conn: asyncpg.Connection,
    *,
    library: str,
    data: bytes | None = None,
    file: BinaryIO | None = None,
    source_name: str,
    actor: str,
    program_year: int | None = None,
    received_on: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    checksum: str | None = None,
    clock: Clock = SYSTEM,
) -> IngestReport:
    """The work of an ingest on `conn` (in a transaction of its own, or a savepoint of the caller's): read,
    validate and store one manifest for one library; the same file twice creates nothing new.

    The manifest comes as `data` or as a seekable binary `file` (an upload spooled to disk); it is read in
    chunks of CHUNK rows, so memory does not grow with the manifest (only its rejected rows are kept).
    Without `received_on`, the package arrived on `clock`'s today (the village's day, not the server's)."""
    notify = progress or (lambda stage, done, total: None)
    source = file if file is not None else io.BytesIO(data or b"")
    checksum = checksum or await asyncio.to_thread(file_checksum, source)
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    manifest = await asyncio.to_thread(open_manifest, source, source_name)
    if await q.library(conn, code=library) is None:
        raise NotFound("library_not_found", f"no library has the code '{library}'", field="library")
    received_on = received_on or clock.today()
    async with conn.transaction():
        await staging.create_staging(conn)
        tally = Tally()
        while records := await asyncio.to_thread(check_chunk, manifest.rows, tally):
            for start in range(0, len(records), PAGE):
                await conn.copy_records_to_table(
                    "ingest_rows", records=records[start : start + PAGE], columns=STAGED_COLUMNS
                )
            notify("validate", source.tell(), size)  # bytes read: the number of rows is known at the end
        await staging.merge_staging(conn)
        totals = await staging.staging_totals(conn)
        assert totals is not None  # an aggregate always has its row
        counts = Counts(
            tally.rows,
            tally.accepted_rows,
            totals.titles,
            totals.items,
            tally.accepted_rows - totals.titles,
            tally.recovered_isbns,
        )
        report = functools.partial(_report, library, counts, tally, manifest.repairs)
        if dry_run:
            existing = await q.package_by_checksum(conn, library=library, checksum=checksum)
            await staging.drop_staging(conn)
            return report(
                existing, items_created=0 if existing else counts.items, already_ingested=existing is not None
            )
        package_id = await q.insert_package(
            conn,
            library=library,
            program_year=program_year or received_on.year,
            source_name=source_name,
            checksum=checksum,
            received_on=received_on,
            created_by=actor,
            **counts._asdict(),
        )
        if package_id is None:
            existing = await q.package_by_checksum(conn, library=library, checksum=checksum)
            await staging.drop_staging(conn)
            return report(existing, items_created=0, already_ingested=True)
        notify("store", 0, counts.items)
        await _store_staged(conn, library, package_id, received_on, notify, counts.items)
        await staging.drop_staging(conn)
        await store_rejections(conn, package_id, tally.rejections)
        await q.audit(
            conn,
            actor=actor,
            action="package.ingest",
            library=library,
            target=f"package:{package_id}",
            detail=json.dumps(
                {
                    "source_name": source_name,
                    "checksum": checksum,
                    "items": counts.items,
                    "rejected": len(tally.rejections),
                }
            ),
        )
        notify("store", counts.items, counts.items)
    return report(package_id, items_created=counts.items, already_ingested=False)


class Counts(NamedTuple):
    """The counts a package row keeps, named as `insert_package`'s parameters."""

    rows: int
    accepted_rows: int
    titles: int
    items_created: int
    duplicates_merged: int
    recovered_isbns: int

    @property
    def items(self) -> int:
        return self.items_created


def _report(
    library: str,
    counts: Counts,
    tally: Tally,
    repairs: list,
    package_id: int | None,
    *,
    items_created: int,
    already_ingested: bool,
) -> IngestReport:
    return IngestReport(
        library=library,
        package_id=package_id,
        rows=counts.rows,
        accepted_rows=counts.accepted_rows,
        titles=counts.titles,
        items_created=items_created,
        duplicates_merged=counts.duplicates_merged,
        recovered_isbns=counts.recovered_isbns,
        already_ingested=already_ingested,
        rejected=[RejectedRow(r.row, r.field, r.value, r.code, r.message) for r, _ in tally.rejections],
        repaired=[RejectedRow(*r) for r in repairs],
    )


async def _store_staged(
    conn: asyncpg.Connection, library: str, package_id: int, received_on: dt.date, notify: Progress, total: int
) -> None:
    """Store the staged titles a page at a time, in ISBN order: titles, then their copies, then the outbox."""
    last, done = "", 0
    while page := await staging.staged_titles(conn, after=last, page_size=PAGE):
        last = page[-1].isbn13
        columns = {name: [getattr(r, name) for r in page] for name in TITLE_COLUMNS}
        isbns = columns["isbn13"]
        await q.insert_titles(conn, **columns)
        await q.fill_title_gaps(conn, **{name: columns[name] for name in GAP_COLUMNS})
        ids = {r.isbn13: r.id for r in await q.title_ids(conn, isbn13=isbns)}
        copies = [(ids[r.isbn13], r.call_number, r.copies) for r in page]
        done += len(await insert_copies(conn, library, package_id, received_on, copies))
        notify("store", done, total)


def _labelled_records(
    library: str, package_id: int, acquired_on: dt.date, copies: list[tuple[int, str, int]], numbers: list[int]
) -> list[tuple]:
    """The rows of new copies whose call numbers are known (pure; run in a worker thread)."""
    reserved = iter(numbers)
    return [
        (barcode(next(reserved)), title_id, library, package_id, label, acquired_on)
        for title_id, label, count in copies
        for _ in range(count)
    ]


async def store_titles(conn: asyncpg.Connection, books: list[Book]) -> dict[str, int]:
    """Insert the titles not yet known, fill gaps in known ones; return ISBN-13 -> title id."""
    if not books:
        return {}
    ids: dict[str, int] = {}
    for start in range(0, len(books), CHUNK):
        ids |= await _store_title_chunk(conn, books[start : start + CHUNK])
    return ids


async def _store_title_chunk(conn: asyncpg.Connection, books: list[Book]) -> dict[str, int]:
    isbns, displays, groups = await asyncio.to_thread(_isbn_columns, books)
    await q.insert_titles(
        conn,
        isbn13=isbns,
        isbn_display=displays,
        registration_group=groups,
        title=[b.title for b in books],
        subtitle=[b.subtitle for b in books],
        authors=["\x1f".join(b.authors) for b in books],
        publisher=[b.publisher for b in books],
        year=[b.year for b in books],
        language=[b.language for b in books],
        ddc=[b.ddc for b in books],
        category=[b.category for b in books],
        audience=[b.audience for b in books],
        subjects=["\x1f".join(b.subjects) for b in books],
    )
    await q.fill_title_gaps(
        conn,
        isbn13=isbns,
        publisher=[b.publisher for b in books],
        year=[b.year for b in books],
        language=[b.language for b in books],
        ddc=[b.ddc for b in books],
        category=[b.category for b in books],
        audience=[b.audience for b in books],
    )
    return {r.isbn13: r.id for r in await q.title_ids(conn, isbn13=isbns)}


def _isbn_columns(books: list[Book]) -> tuple[list[str], list[str], list[str | None]]:
    """ISBN-13, hyphenated form and registration group of each book: isbnlib's work, about 0.1 ms a book,
    so it runs in a worker thread (10,000 books would hold the event loop for a second)."""
    isbns = [_isbn(b).isbn13 for b in books]
    return isbns, [_isbn(b).display for b in books], [registration_group(i) for i in isbns]


async def create_items(
    conn: asyncpg.Connection, library: str, package_id: int, acquired_on: dt.date, copies: list[tuple[int, Book, int]]
) -> list[str]:
    """Create the copies of validated books with fresh barcodes and call numbers."""
    labelled = [
        (title_id, call_number(book.ddc, book.authors[0] if book.authors else None, book.title), count)
        for title_id, book, count in copies
    ]
    return await insert_copies(conn, library, package_id, acquired_on, labelled)


async def insert_copies(
    conn: asyncpg.Connection, library: str, package_id: int, acquired_on: dt.date, copies: list[tuple[int, str, int]]
) -> list[str]:
    """Insert `count` copies of each (title id, call number) with reserved barcodes, in pages of COPY so the
    event loop is never held long; queue their titles for the search index; return the barcodes."""
    numbers = [r.n for r in await q.reserve_item_numbers(conn, count=sum(c for _, _, c in copies))]
    records = await asyncio.to_thread(_labelled_records, library, package_id, acquired_on, copies, numbers)
    for start in range(0, len(records), PAGE):
        await conn.copy_records_to_table(
            "items",
            schema_name="catalog",
            records=records[start : start + PAGE],
            columns=["barcode", "title_id", "library_code", "package_id", "call_number", "acquired_on"],
        )
    await q.enqueue_search(conn, library=library, title_ids=sorted({t for t, _, _ in copies}))
    return [r[0] for r in records]


async def store_rejections(
    conn: asyncpg.Connection, package_id: int, rejections: list[tuple[Rejection, dict[str, str]]]
) -> None:
    """The rejected rows with their cells as the file had them, for the review list."""
    await conn.copy_records_to_table(
        "rejections",
        schema_name="catalog",
        records=[(package_id, r.row, r.field, r.value, r.code, r.message, json.dumps(raw)) for r, raw in rejections],
        columns=["package_id", "row_number", "field", "value", "code", "message", "raw"],
    )
