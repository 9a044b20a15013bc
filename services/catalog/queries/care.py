"""Catalogue care (care.sql): editing and classifying titles, copies outside packages, withdrawal and damage,
and the feed of these changes that circulation follows."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "care.sql")


class EditableTitle(msgspec.Struct):
    id: int
    isbn13: str | None
    local_code: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    subjects: list[str]
    audience: str | None
    category: str | None


class LibraryCode(msgspec.Struct):
    library_code: str


class Barcode(msgspec.Struct):
    barcode: str


class UnclassifiedTitle(msgspec.Struct):
    id: int
    isbn13: str | None
    local_code: str | None
    isbn_display: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    language: str | None
    category: str | None
    subjects: list[str]
    copies: int
    call_number: str
    total: int


class KnownTitle(msgspec.Struct):
    id: int
    isbn13: str | None
    local_code: str | None
    title: str
    authors: list[str]
    ddc: str | None


class LockedItem(msgspec.Struct):
    barcode: str
    library_code: str
    title_id: int
    status: str


class CopyChange(msgspec.Struct):
    id: int
    title_id: int
    barcode: str | None
    at: dt.datetime


class FeedHead(msgspec.Struct):
    after_at: dt.datetime | None
    last: int


class ChangedCopyRow(msgspec.Struct):
    barcode: str
    library_code: str
    status: str
    call_number: str
    title_id: int
    isbn13: str | None
    local_code: str | None
    title: str
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None


title_for_update = Q.one("title_for_update", EditableTitle)
title_libraries = Q.all("title_libraries", LibraryCode)
update_title = Q.execute("update_title")
relabel_items = Q.all("relabel_items", Barcode)
"""Give every copy of a title the call number; the barcodes of the copies whose label changed."""
enqueue_title_everywhere = Q.execute("enqueue_title_everywhere")
record_copy_change = Q.execute("record_copy_change")
"""Enter a change in the copy-change feed: a whole title (`barcode` None) or one copy."""
unclassified_titles = Q.all("unclassified_titles", UnclassifiedTitle)
title_by_isbn = Q.one("title_by_isbn", KnownTitle)
insert_title = Q.execute("insert_title")
insert_copies = Q.execute("insert_copies")
item_for_update = Q.one("item_for_update", LockedItem)
set_condition = Q.value("set_condition", str)
"""The barcode when the copy changed; None when its status is no longer the one read under the lock."""
copy_changes_page = Q.all("copy_changes_page", CopyChange)
copy_change_at = Q.one("copy_change_at", FeedHead)
changed_copies = Q.all("changed_copies", ChangedCopyRow)
