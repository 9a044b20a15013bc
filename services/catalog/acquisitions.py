"""Copies that arrive outside an aid package: a donation or a purchase, by ISBN typed or scanned from the
EAN-13 on the back cover. A known ISBN takes the catalogue's title; an unknown one needs at least a title."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

import asyncpg
import msgspec

from kernel.ddc import DdcError, clean_ddc
from kernel.isbn import IsbnError, registration_group
from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.domain.labels import barcode, call_number
from services.catalog.domain.scanned_isbn import isbn_from_scan
from services.catalog.queries import care
from services.catalog.queries import catalogue as q
from services.catalog.service import Catalogue

Text = Annotated[str, msgspec.Meta(max_length=500)]


class Acquisition(msgspec.Struct, forbid_unknown_fields=True):
    isbn: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    source: Literal["donation", "purchase"]
    acquired_on: dt.date
    copies: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    title: Text | None = None
    subtitle: Text | None = None
    authors: Annotated[list[Text], msgspec.Meta(max_length=20)] = []
    publisher: Text | None = None
    year: Annotated[int, msgspec.Meta(ge=1450, le=2100)] | None = None
    language: Annotated[str, msgspec.Meta(pattern="^[a-z]{3}$")] | None = None
    ddc: str | None = None
    subjects: Annotated[list[Text], msgspec.Meta(max_length=30)] = []
    audience: Literal["anak", "remaja", "dewasa", "umum"] | None = None
    category: Text | None = None


class Acquired(msgspec.Struct):
    library: str
    isbn13: str
    title: str
    title_created: bool
    source: str
    acquired_on: dt.date
    call_number: str
    barcodes: list[str]


async def add_copies(
    catalogue: Catalogue, staff: Staff, library: str, data: Acquisition, once: Once | None = None
) -> Acquired:
    """Add copies (and the title when the catalogue does not know it yet) to a library."""
    authorise(staff, Action.CATALOGUE, library)
    today = catalogue.clock.today()
    return await catalogue.write(lambda conn: _add_copies(conn, library, data, staff, today), once)


async def _add_copies(
    conn: asyncpg.Connection, library: str, data: Acquisition, staff: Staff, today: dt.date
) -> Acquired:
    await views.library(conn, library)
    try:
        isbn = isbn_from_scan(data.isbn)
    except IsbnError as exc:
        raise Invalid(exc.code, str(exc), field="isbn") from None
    if data.acquired_on > today + dt.timedelta(days=1):
        raise Invalid("acquired_on_future", f"{data.acquired_on} is in the future", field="acquired_on")
    try:
        ddc = clean_ddc(data.ddc)
    except DdcError as exc:
        raise Invalid(exc.code, exc.message, field="ddc") from None
    row = await care.title_by_isbn(conn, isbn13=isbn.isbn13)
    created = row is None
    if created:
        title = " ".join((data.title or "").split())
        if not title:
            raise Invalid(
                "title_required", f"ISBN {isbn.display} is not in the catalogue yet: give its title", field="title"
            )
        await care.insert_title(
            conn,
            isbn13=isbn.isbn13,
            isbn_display=isbn.display,
            registration_group=registration_group(isbn.isbn13),
            title=title,
            subtitle=data.subtitle,
            authors=data.authors,
            publisher=data.publisher,
            year=data.year,
            language=data.language,
            ddc=ddc,
            subjects=data.subjects,
            audience=data.audience,
            category=data.category,
        )
        row = await care.title_by_isbn(conn, isbn13=isbn.isbn13)  # or the one a concurrent add created
    assert row is not None  # inserted, or inserted meanwhile by a concurrent add
    title_id = row.id
    label = call_number(row.ddc, row.authors[0] if row.authors else None, row.title)
    numbers = [r.n for r in await q.reserve_item_numbers(conn, count=data.copies)]
    barcodes = [barcode(n) for n in numbers]
    await care.insert_copies(
        conn,
        barcodes=barcodes,
        title_id=title_id,
        library=library,
        call_number=label,
        acquired_on=data.acquired_on,
        source=data.source,
    )
    await q.enqueue_search(conn, library=library, title_ids=[title_id])
    await q.audit(
        conn,
        actor=staff.username,
        action=f"items.{data.source}",
        library=library,
        target=f"title:{isbn.isbn13}",
        detail=json.dumps(
            {"barcodes": barcodes, "acquired_on": data.acquired_on.isoformat(), "title_created": created}
        ),
    )
    return Acquired(library, isbn.isbn13, row.title, created, data.source, data.acquired_on, label, barcodes)
