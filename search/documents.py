"""The search document: one per title held by a library, built from PostgreSQL (the source of truth)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable

import asyncpg
import msgspec

from kernel.ddc import ddc_class
from kernel.isbn import Isbn
from pustaka.sql import load
from search.morphology import stemmed_text
from search.text import fold

Q = load(__file__, "documents.sql")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class TitleDocument(msgspec.Struct, frozen=True, kw_only=True):
    """What a patron finds: a title, where it is held, and how many copies are on the shelf."""

    id: str
    library: str
    library_name: str
    kecamatan: str
    kecamatan_name: str
    title_id: int
    isbn13: str | None
    isbn10: str | None
    isbn: str | None
    """The hyphenated ISBN, for display."""
    local_code: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    category: str | None
    language: str | None
    audience: str | None
    ddc: str | None
    ddc_class: str | None
    """The DDC hundreds: `899.221` -> `800`."""
    year: int | None
    copies: int
    available: int
    on_shelf: bool
    """At least one copy available: what the `available` filter and facet use."""
    call_number: str
    title_sort: str
    """The title folded to lower case without diacritics, so that sorting by title ignores case."""
    stems: str = ""
    """The Indonesian stems of the title, subtitle and category words (search/morphology.py), so that
    `menanam` finds `Tanaman obat` in either engine."""


class DocumentRow(msgspec.Struct):
    """One row of documents.sql (and of fallback.sql's documents): a title held by a library. The fields
    follow the columns' order (the rebuild builds these by position, see `pustaka.sql.Batches`)."""

    library: str
    library_name: str
    kecamatan: str
    kecamatan_name: str
    title_id: int
    isbn13: str | None
    isbn_display: str | None
    local_code: str | None
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


documents_for_pairs = Q.all("documents_for_pairs", DocumentRow)
"""The documents of (library, title) pairs given as two arrays; pairs with no copies left are absent."""
every_document = Q.batches("all_documents", DocumentRow)
held_pairs = Q.value("count_documents", int)
"""How many documents there are (held (library, title) pairs)."""


def document_id(library: str, title_id: int) -> str:
    """A stable id of the characters Meilisearch allows: `35.20.01.2001`, 123 -> `35-20-01-2001_123`."""
    return f"{_UNSAFE.sub('-', library.replace('.', '-'))}_{title_id}"


def document_from_row(row: DocumentRow) -> TitleDocument:
    """Turn one row of documents.sql into a document (pure)."""
    isbn13 = row.isbn13
    return TitleDocument(
        id=document_id(row.library, row.title_id),
        library=row.library,
        library_name=row.library_name,
        kecamatan=row.kecamatan,
        kecamatan_name=row.kecamatan_name,
        title_id=row.title_id,
        isbn13=isbn13,
        isbn10=Isbn(isbn13).isbn10 if isbn13 else None,
        isbn=row.isbn_display,
        local_code=row.local_code,
        title=row.title,
        subtitle=row.subtitle,
        authors=list(row.authors),
        publisher=row.publisher,
        category=row.category,
        language=row.language,
        audience=row.audience,
        ddc=row.ddc,
        ddc_class=ddc_class(row.ddc),
        year=row.year,
        copies=row.copies,
        available=row.available,
        on_shelf=row.available > 0,
        call_number=row.call_number,
        title_sort=fold(row.title).strip(),
        stems=stemmed_text(row.title, row.subtitle, row.category),
    )


async def documents_for(conn: asyncpg.Connection, pairs: Iterable[tuple[str, int]]) -> list[TitleDocument]:
    """The current documents of these (library, title id) pairs; a pair no longer held has none."""
    pairs = list(pairs)
    if not pairs:
        return []
    rows = await documents_for_pairs(conn, libraries=[p[0] for p in pairs], title_ids=[p[1] for p in pairs])
    # ISBN forms and folded text cost about 0.2 ms a document: a batch is built off the event loop.
    return await asyncio.to_thread(_documents, rows)


def _documents(rows: list[DocumentRow]) -> list[TitleDocument]:
    return [document_from_row(r) for r in rows]


async def all_documents(conn: asyncpg.Connection, batch_size: int = 2000) -> AsyncIterator[list[TitleDocument]]:
    """Every document, in batches, from one consistent snapshot (call inside a REPEATABLE READ transaction)."""
    async for rows in every_document(conn, batch_size):
        yield await asyncio.to_thread(_documents, rows)


async def count_documents(conn: asyncpg.Connection) -> int:
    return await held_pairs(conn) or 0
