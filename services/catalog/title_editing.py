"""Correcting and classifying titles: one use case per verb (`edit_title`, `classify`), each in its own unit
of work of the catalogue.

A change to a title's class, first author or title changes its copies' call numbers; every change queues the
title for the search index in every library that holds it and enters the copy-change feed that
circulation follows (its copies replica carries the title facts its statistics count by).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import asyncpg
import msgspec

from kernel.ddc import DdcError, clean_ddc
from kernel.isbn import lookup_form
from pustaka.access import Action, Staff, may
from pustaka.errors import Forbidden, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.domain.labels import call_number
from services.catalog.queries import care
from services.catalog.queries import catalogue as q
from services.catalog.service import Catalogue

UNSET = msgspec.UNSET
Text = Annotated[str, msgspec.Meta(max_length=500)]
AUDIENCES = ("anak", "remaja", "dewasa", "umum")
FIELDS = ("title", "subtitle", "authors", "publisher", "year", "language", "ddc", "subjects", "audience", "category")


class TitleChanges(msgspec.Struct, forbid_unknown_fields=True):
    """The fields to change; a field left out stays as it is, `null` clears it."""

    title: Text | msgspec.UnsetType = UNSET
    subtitle: Text | None | msgspec.UnsetType = UNSET
    authors: Annotated[list[Text], msgspec.Meta(max_length=20)] | msgspec.UnsetType = UNSET
    publisher: Text | None | msgspec.UnsetType = UNSET
    year: int | None | msgspec.UnsetType = UNSET
    language: str | None | msgspec.UnsetType = UNSET
    ddc: str | None | msgspec.UnsetType = UNSET
    subjects: Annotated[list[Text], msgspec.Meta(max_length=30)] | msgspec.UnsetType = UNSET
    audience: str | None | msgspec.UnsetType = UNSET
    category: Text | None | msgspec.UnsetType = UNSET


class Relabelled(msgspec.Struct):
    call_number: str
    relabelled: list[str]
    """Barcodes whose call number changed: the spine labels to reprint."""


class EditedTitle(views.Title, kw_only=True):
    relabelled: list[str]
    """Barcodes whose call number changed: their spine labels should be reprinted."""


def _clean(values: dict, changes: TitleChanges, today: dt.date) -> dict:
    new = dict(values)
    for name in FIELDS:
        value = getattr(changes, name)
        if value is UNSET:
            continue
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        new[name] = value
    if not new["title"]:
        raise Invalid("title_required", "a title cannot be empty", field="title")
    new["authors"] = [a for a in (" ".join(x.split()) for x in new["authors"] or []) if a]
    new["subjects"] = [s for s in (" ".join(x.split()) for x in new["subjects"] or []) if s]
    try:
        new["ddc"] = clean_ddc(new["ddc"])
    except DdcError as exc:
        raise Invalid(exc.code, exc.message, field="ddc") from None
    if new["year"] is not None and not 1450 <= new["year"] <= today.year + 1:
        raise Invalid("year_invalid", f"{new['year']} is not a year of publication", field="year")
    if new["language"] is not None and not (len(new["language"]) == 3 and new["language"].isalpha()):
        raise Invalid("language_invalid", "language is a three-letter MARC code such as ind or eng", field="language")
    if new["language"]:
        new["language"] = new["language"].lower()
    if new["audience"] is not None and new["audience"] not in AUDIENCES:
        raise Invalid("audience_invalid", f"audience must be one of {', '.join(AUDIENCES)}", field="audience")
    return new


async def find_title_for_update(conn: asyncpg.Connection, written: str) -> care.EditableTitle:
    isbn13 = lookup_form(written)
    local = written.strip().upper() if written.strip().upper().startswith("LOK") else None
    if isbn13 is None and local is None:
        raise Invalid("isbn_invalid", f"'{written}' is not a valid ISBN-10 or ISBN-13", field="isbn")
    row = await care.title_for_update(conn, isbn13=isbn13, local_code=local)
    if row is None:
        raise NotFound("title_not_found", f"no title has ISBN {written}", field="isbn")
    return row


async def _authorise(conn: asyncpg.Connection, staff: Staff, title_id: int, written: str) -> list[str]:
    """An admin, or staff who may catalogue in one of the libraries holding the title."""
    libraries = [r.library_code for r in await care.title_libraries(conn, title_id=title_id)]
    if staff.role != "admin" and not any(may(staff, Action.CATALOGUE, code) for code in libraries):
        raise Forbidden(
            "forbidden", f"{staff.username} ({staff.role}) may not edit {written}: no library of theirs holds it"
        )
    return libraries


async def _apply(
    conn: asyncpg.Connection, row: care.EditableTitle, changes: TitleChanges, staff: Staff, action: str, today: dt.date
) -> Relabelled:
    old = {name: getattr(row, name) for name in FIELDS}
    new = _clean(old, changes, today)
    label = call_number(new["ddc"], new["authors"][0] if new["authors"] else None, new["title"])
    changed = {k: {"from": old[k], "to": new[k]} for k in FIELDS if old[k] != new[k]}
    if not changed:
        return Relabelled(label, [])
    await care.update_title(conn, title_id=row.id, **{k: new[k] for k in FIELDS})
    relabelled = [r.barcode for r in await care.relabel_items(conn, title_id=row.id, call_number=label)]
    await care.enqueue_title_everywhere(conn, title_id=row.id)
    await care.record_copy_change(conn, title_id=row.id, barcode=None)
    await q.audit(
        conn,
        actor=staff.username,
        action=action,
        library=None,
        target=f"title:{row.isbn13 or row.local_code}",
        detail=json.dumps({"changes": changed, "relabelled": len(relabelled)}),
    )
    return Relabelled(label, relabelled)


async def edit_title(catalogue: Catalogue, staff: Staff, written: str, changes: TitleChanges) -> EditedTitle:
    """Correct a title's facts (admin, or staff of a library holding it); its copies' call numbers follow.
    The answer is the title as it now is, with the copies to relabel."""
    today = catalogue.clock.today()

    async def work(conn: asyncpg.Connection) -> EditedTitle:
        result = await _edit_title(conn, written, changes, staff, today)
        title = await views.title(conn, written)
        return EditedTitle(**msgspec.structs.asdict(title), relabelled=result.relabelled)

    return await catalogue.write(work)


async def _edit_title(
    conn: asyncpg.Connection, written: str, changes: TitleChanges, staff: Staff, today: dt.date
) -> Relabelled:
    row = await find_title_for_update(conn, written)
    await _authorise(conn, staff, row.id, written)
    return await _apply(conn, row, changes, staff, "title.edit", today)


class Classification(msgspec.Struct, forbid_unknown_fields=True):
    isbn: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    ddc: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class Classified(msgspec.Struct):
    isbn: str
    ddc: str
    call_number: str
    relabelled: list[str]


class ClassificationBatch(msgspec.Struct, forbid_unknown_fields=True):
    titles: Annotated[list[Classification], msgspec.Meta(min_length=1, max_length=500)]


class ClassificationReport(msgspec.Struct):
    classified: list[Classified]


async def classify(
    catalogue: Catalogue, staff: Staff, batch: ClassificationBatch, once: Once | None = None
) -> ClassificationReport:
    """Set the class of many titles at once (the librarian's confirmed suggestions)."""
    today = catalogue.clock.today()
    return await catalogue.write(lambda conn: _classify_titles(conn, batch.titles, staff, today), once)


async def _classify_titles(
    conn: asyncpg.Connection, entries: list[Classification], staff: Staff, today: dt.date
) -> ClassificationReport:
    """Give many titles their class at once (all or nothing: one bad class refuses the batch)."""
    for n, entry in enumerate(entries):
        try:
            clean_ddc(entry.ddc)
        except DdcError as exc:
            raise Invalid(exc.code, f"titles[{n}] ({entry.isbn}): {exc.message}", field=f"titles[{n}].ddc") from None
    done = []
    for entry in sorted(entries, key=lambda e: e.isbn):  # one lock order for concurrent batches
        row = await find_title_for_update(conn, entry.isbn)
        await _authorise(conn, staff, row.id, entry.isbn)
        result = await _apply(conn, row, TitleChanges(ddc=entry.ddc), staff, "title.classify", today)
        done.append(Classified(entry.isbn, clean_ddc(entry.ddc) or "", result.call_number, result.relabelled))
    return ClassificationReport(done)
