"""OAI-PMH and MARC export (oai.sql): records of (library, title) pairs by keyset over (datestamp, id), and
their copies."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "oai.sql")


class OaiRecord(msgspec.Struct):
    """One (library, title) pair as harvested or exported."""

    id: int
    library_code: str
    title_id: int
    datestamp: dt.datetime
    deleted: bool
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
    library_name: str
    kecamatan_code: str


class CopyRow(msgspec.Struct):
    library_code: str
    title_id: int
    barcode: str
    call_number: str


class SetLibrary(msgspec.Struct):
    code: str
    name: str
    kecamatan_code: str
    kecamatan: str


earliest = Q.value("earliest", dt.datetime)
now = Q.value("now", dt.datetime)
custom_plans = Q.execute("custom_plans")
records_page = Q.all("records_page", OaiRecord)
records_count = Q.value("records_count", int)
record_by_key = Q.one("record_by_key", OaiRecord)
copies_of = Q.all("copies_of", CopyRow)
set_libraries = Q.all("set_libraries", SetLibrary)
library_holdings = Q.all("library_holdings", OaiRecord)
