"""The staging tables of a streamed ingest (ingest.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "ingest.sql")


class StagingTotals(msgspec.Struct):
    titles: int
    items: int


class StagedTitle(msgspec.Struct):
    """One distinct ISBN of the manifest: the metadata of its first row, the copies of all its rows (authors
    and subjects joined by U+001F, as `insert_titles` takes them)."""

    isbn13: str
    isbn_display: str
    registration_group: str | None
    title: str
    subtitle: str | None
    authors: str
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    category: str | None
    audience: str | None
    subjects: str
    call_number: str
    copies: int


STAGED_COLUMNS = [
    "row_number",
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
    "copies",
    "call_number",
]
"""The columns of `ingest_rows`, in the order `COPY` gets them."""

create_staging = Q.execute("create_staging")
merge_staging = Q.execute("merge_staging")
staging_totals = Q.one("staging_totals", StagingTotals)
staged_titles = Q.all("staged_titles", StagedTitle)
"""A page of merged titles in ISBN order, after the ISBN `after`."""
drop_staging = Q.execute("drop_staging")
