"""Catalogue use cases called directly, as the HTTP handlers and the command line call them: no HTTP, the real
database, a clock fixed at a moment when the Jakarta date is already the next day (06:30 WIB on 26 November
is 23:30 UTC on the 25th)."""

from __future__ import annotations

import datetime as dt
import io
import json

import msgspec
import pytest

from kernel.clock import FixedClock
from pustaka.access import Staff
from pustaka.errors import Conflict, Forbidden, Invalid
from pustaka.seeding import seeds_dir
from pustaka.unit_of_work import Once, Replayed
from services.catalog import review, stocktake, title_editing, views
from services.catalog.ingest import Delivery, IngestReport, RejectedRow, ingest
from services.catalog.service import Catalogue
from services.catalog.title_editing import TitleChanges

MESSY = seeds_dir() / "examples" / "manifest-berantakan.csv"
GONGGANG = "35.20.01.2002"
SOMBO = "35.20.01.2008"
MORNING_IN_MAGETAN = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
SRI = Staff("sri", "librarian", GONGGANG)


@pytest.fixture
def catalogue(magetan) -> Catalogue:
    return Catalogue(magetan, FixedClock(MORNING_IN_MAGETAN))


def delivery(**options) -> Delivery:
    return Delivery(GONGGANG, io.BytesIO(MESSY.read_bytes()), MESSY.name, **options)


def rejected(row: int, field: str, value: str, code: str, message: str) -> RejectedRow:
    return RejectedRow(row, field, value, code, message)


async def test_a_librarian_ingests_the_messy_manifest_and_gets_the_exact_report(catalogue):
    report = await ingest(catalogue, SRI, delivery())

    expected = json.loads(MESSY.with_suffix(".expected.json").read_text())["summary"]
    assert report == IngestReport(
        library=GONGGANG,
        package_id=report.package_id,
        rows=expected["rows"],
        accepted_rows=expected["accepted_rows"],
        titles=expected["titles"],
        items_created=expected["items_created"],
        duplicates_merged=expected["duplicates_merged"],
        recovered_isbns=expected["recovered_isbns"],
        already_ingested=False,
        rejected=[
            rejected(5, "isbn", "979-413-921-2", "isbn_checksum", "'979-413-921-2' fails the ISBN-10 check digit"),
            rejected(
                8,
                "isbn",
                "979-222-23-5",
                "isbn_checksum",
                "'979-222-23-5' has 9 digits; even with the leading zeros a spreadsheet may have dropped put "
                "back (0979222235) it fails the ISBN-10 check digit",
            ),
            rejected(11, "isbn", "97930629244", "isbn_length", "'97930629244' has 11 digits; an ISBN has 10 or 13"),
            rejected(14, "isbn", "978979756836", "isbn_length", "'978979756836' has 12 digits; an ISBN has 10 or 13"),
            rejected(
                16,
                "isbn",
                "97860A1234567",
                "isbn_characters",
                "'97860A1234567' contains characters that cannot be in an ISBN",
            ),
            rejected(
                18,
                "isbn",
                "9.78979E+12",
                "isbn_scientific_notation",
                "'9.78979E+12' is an ISBN that Excel turned into a number in scientific notation; its last "
                "digits are lost and cannot be recovered. Format the column as Text and type the ISBN again.",
            ),
            rejected(21, "isbn", "", "isbn_missing", "the ISBN is empty"),
            rejected(
                23,
                "isbn",
                "9771234567003",
                "isbn_prefix",
                "'9771234567003' does not start with 978 or 979, so it is not an ISBN",
            ),
            rejected(30, "copies", "-1", "copies_not_positive", "jumlah -1 must be at least 1"),
            rejected(32, "copies", "dua", "copies_not_a_number", "jumlah 'dua' is not a whole number"),
        ],
    )
    assert report.package_id is not None
    package = await catalogue.read(lambda conn: views.package(conn, report.package_id))
    # the day it arrived is the village's day (Jakarta), taken from the catalogue's clock
    assert (package.received_on, package.program_year, package.created_by) == (dt.date(2026, 11, 26), 2026, "sri")


async def test_the_same_upload_sent_twice_with_one_key_gets_the_first_answer(catalogue):
    def key(checksum: str) -> Once:
        return Once("catalog", "sri", "paket-1", checksum, 201)

    first = await ingest(catalogue, SRI, delivery(), key)
    with pytest.raises(Replayed) as replay:
        await ingest(catalogue, SRI, delivery(), key)
    assert (replay.value.status, replay.value.body) == (201, msgspec.json.encode(first))
    again = await ingest(catalogue, SRI, delivery())
    assert (again.already_ingested, again.package_id, again.items_created) == (True, first.package_id, 0)


async def test_a_librarian_may_not_ingest_for_another_library(catalogue):
    with pytest.raises(Forbidden) as refusal:
        await ingest(catalogue, SRI, Delivery(SOMBO, io.BytesIO(MESSY.read_bytes()), MESSY.name))
    assert refusal.value.detail == "sri (librarian) may not do this in library 35.20.01.2008"
    assert await catalogue.read(lambda conn: views.packages(conn, SOMBO)) == []


async def test_a_rejected_row_fixed_with_the_right_isbn_becomes_a_copy_once(catalogue):
    report = await ingest(catalogue, SRI, delivery())
    assert report.package_id is not None
    row5 = (await review.rejections(catalogue, report.package_id, "open"))[0]
    assert (row5.row, row5.values["isbn"], row5.values["copies"]) == (5, "979-413-921-2", "1")

    resolution = await review.resubmit(
        catalogue, SRI, report.package_id, row5.id, review.Resubmission(values={"isbn": "979-413-921-1"})
    )

    assert (resolution.isbn13, resolution.local_code, len(resolution.barcodes)) == ("9789794139219", None, 1)
    assert (resolution.rejection.status, resolution.rejection.resolved_by, resolution.rejection.fixed) == (
        "fixed",
        "sri",
        row5.values | {"isbn": "979-413-921-1"},
    )
    copy = await catalogue.read(lambda conn: views.item(conn, resolution.barcodes[0]))
    assert (copy.library, copy.package_id, copy.isbn13, copy.acquired_on) == (
        GONGGANG,
        report.package_id,
        "9789794139219",
        dt.date(2026, 11, 26),
    )
    with pytest.raises(Conflict) as again:
        await review.resubmit(
            catalogue, SRI, report.package_id, row5.id, review.Resubmission(values={"isbn": "979-413-921-1"})
        )
    assert again.value.code == "rejection_resolved"
    assert [r.row for r in await review.rejections(catalogue, report.package_id, "open")] == [
        8,
        11,
        14,
        16,
        18,
        21,
        23,
        30,
        32,
    ]


async def test_a_title_edit_follows_the_clock_for_the_year_and_relabels_the_copies(catalogue):
    await ingest(catalogue, SRI, delivery())
    before = await catalogue.read(lambda conn: views.title(conn, "9789795331131"))

    with pytest.raises(Invalid) as refusal:
        await title_editing.edit_title(catalogue, SRI, "979-533-113-2", TitleChanges(year=2028))
    assert (refusal.value.code, refusal.value.field) == ("year_invalid", "year")

    edited = await title_editing.edit_title(catalogue, SRI, "979-533-113-2", TitleChanges(year=2027, ddc="657.2"))

    assert (edited.year, edited.ddc, before.ddc != "657.2") == (2027, "657.2", True)
    copies = await catalogue.read(lambda conn: views.items(conn, GONGGANG, None, 1, 500))
    relabelled = sorted(c.barcode for c in copies.items if c.isbn13 == "9789795331131")
    assert sorted(edited.relabelled) == relabelled
    assert {c.call_number.split()[0] for c in copies.items if c.isbn13 == "9789795331131"} == {"657.2"}


async def test_a_stock_take_finished_with_the_missing_written_off_at_the_clocks_moment(catalogue):
    await ingest(catalogue, SRI, delivery())
    shelf = (await catalogue.read(lambda conn: views.items(conn, GONGGANG, None, 1, 500))).items
    started = await stocktake.start(catalogue, SRI, GONGGANG)
    assert (started.library, started.expected, started.on_loan) == (GONGGANG, 34, 0)

    scanned = await stocktake.scan(
        catalogue, SRI, started.id, [c.barcode for c in shelf[:30]] + ["000000000000"], "rak 1"
    )
    assert (scanned.accepted, scanned.unknown, scanned.scanned) == (30, ["000000000000"], 31)
    report = await stocktake.finish(catalogue, SRI, started.id, mark_missing_lost=True)

    missing = sorted(c.barcode for c in shelf[30:])
    assert (report.status, report.found, sorted(m.barcode for m in report.missing), report.marked_lost) == (
        "finished",
        30,
        missing,
        missing,
    )
    assert report.finished_at == MORNING_IN_MAGETAN
    assert await stocktake.report(catalogue, SRI, started.id) == report
    lost = await catalogue.read(lambda conn: views.items(conn, GONGGANG, "lost", 1, 500))
    assert sorted(c.barcode for c in lost.items) == missing
    with pytest.raises(Forbidden):
        await stocktake.report(catalogue, Staff("wati", "librarian", SOMBO), started.id)
