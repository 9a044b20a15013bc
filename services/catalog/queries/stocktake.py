"""Stock-taking (stocktake.sql): the snapshot, the scans and the report's facts."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "stocktake.sql")


class Opened(msgspec.Struct):
    id: int
    library_code: str
    status: str
    started_at: dt.datetime


class OpenStocktake(msgspec.Struct):
    id: int
    started_at: dt.datetime
    started_by: str


class SnapshotCounts(msgspec.Struct):
    expected: int
    on_loan: int


class StocktakeRow(msgspec.Struct):
    id: int
    library_code: str
    status: str
    started_by: str
    started_at: dt.datetime
    finished_by: str | None
    finished_at: dt.datetime | None
    marked_lost: int
    report: str | None
    """The report a finished stock-take kept (jsonb, as text)."""
    expected: int
    expected_on_loan: int


class LockedStocktake(msgspec.Struct):
    id: int
    library_code: str
    status: str


class ScannedItem(msgspec.Struct):
    barcode: str
    library_code: str
    status: str


class RecordedScan(msgspec.Struct):
    barcode: str
    first_time: bool


class ExpectedCopy(msgspec.Struct):
    barcode: str
    call_number: str
    status_now: str
    expected_as: str
    added_during: bool
    title: str
    scanned: bool


class Scan(msgspec.Struct):
    barcode: str
    run: str
    kind: str
    reason: str | None
    times: int
    scanned_by: str
    library_code: str | None
    call_number: str | None
    title: str | None


class LostCopy(msgspec.Struct):
    barcode: str


class StocktakeListed(msgspec.Struct):
    id: int
    status: str
    started_at: dt.datetime
    started_by: str
    finished_at: dt.datetime | None


start = Q.one("start", Opened)
open_stocktake = Q.one("open_stocktake", OpenStocktake)
snapshot = Q.one("snapshot", SnapshotCounts)
"""Take the snapshot of the copies expected on the shelves (and, apart, on loan); how many of each."""
stocktake = Q.one("stocktake", StocktakeRow)
lock_for_scans = Q.one("lock_for_scans", LockedStocktake)
lock_for_finish = Q.one("lock_for_finish", LockedStocktake)
items_by_barcode = Q.all("items_by_barcode", ScannedItem)
record_scans = Q.all("record_scans", RecordedScan)
expected_copies = Q.all("expected_copies", ExpectedCopy)
scans = Q.all("scans", Scan)
mark_lost = Q.all("mark_lost", LostCopy)
finish = Q.value("finish", dt.datetime)
library_stocktakes = Q.all("library_stocktakes", StocktakeListed)
