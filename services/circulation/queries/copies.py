"""The replica of the catalogue's copies (copies.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "copies.sql")


class ReplicaCopy(msgspec.Struct):
    barcode: str
    library_code: str
    title_id: int | None
    isbn13: str | None
    title: str
    status: str
    fresh: bool


class CopyFacts(msgspec.Struct):
    """A copy of the replica with the title facts its events carry, and its status."""

    barcode: str
    library_code: str
    title_id: int | None
    isbn13: str | None
    title: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    status: str


copy = Q.one("copy", ReplicaCopy)
"""A copy of the replica, and whether it was seen within `fresh_seconds`."""
upsert_copies = Q.execute("upsert_copies")
"""Fill or refresh the replica from the catalogue's answers (column arrays, one element per copy)."""
copies_of_title = Q.all("copies_of_title", CopyFacts)
