"""A librarian brings the catalogue as MARC21 (an INLISLite OAI-PMH page, ISO 2709 files, broken records):
the same ingest, report and review list as a spreadsheet, each record accepted, repaired or rejected."""

import collections
import json
import os
from pathlib import Path

import pytest

from pustaka.access import Staff
from services.catalog import review
from services.catalog.domain.manifest import UnusableManifest, read_manifest
from services.catalog.ingest import check_manifest, ingest_package
from services.catalog.service import Catalogue

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "marc"
INLISLITE = DATA / "inlislite-records_001-050.xml"
BROKEN = DATA / "broken-records.xml"
GONGGANG = "35.20.01.2002"


def shared_books() -> Path:
    """The AGPL Open Library files are read where they are (`../shared/data/books` beside the checkout), never
    copied; PUSTAKA_SHARED_DATA may point elsewhere."""
    candidates = [Path(os.environ["PUSTAKA_SHARED_DATA"])] if os.environ.get("PUSTAKA_SHARED_DATA") else []
    candidates += [ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"]
    for candidate in candidates:
        if (candidate / "books" / "openlibrary-marc-testdata").is_dir():
            return candidate / "books"
    pytest.fail(
        "the Open Library MARC test files are missing: expected ../shared/data/books/"
        "openlibrary-marc-testdata beside the repository (or set PUSTAKA_SHARED_DATA)"
    )


async def ingest(pool, path: Path, library: str = GONGGANG, **options):
    async with pool.acquire() as conn:
        return await ingest_package(
            conn, library=library, data=path.read_bytes(), source_name=path.name, actor="test", **options
        )


async def test_an_inlislite_oai_page_goes_in_with_an_exact_report(magetan):
    report = await ingest(magetan, INLISLITE)
    assert (
        report.rows,
        report.accepted_rows,
        report.titles,
        report.items_created,
        report.duplicates_merged,
        report.recovered_isbns,
    ) == (50, 12, 12, 16, 0, 0)
    missing = [
        1,
        2,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
        21,
        22,
        24,
        27,
        28,
        29,
        31,
        33,
        34,
        37,
        39,
        40,
        41,
        43,
        44,
        45,
        46,
        50,
    ]
    assert [(r.row, r.code) for r in report.rejected] == sorted(
        [(n, "isbn_missing") for n in missing] + [(32, "isbn_checksum")]
    )
    assert next(r for r in report.rejected if r.row == 32).value == "979-222-23-5"
    assert collections.Counter(r.code for r in report.repaired) == {
        "marc_control_repeated": 100,
        "marc_leader_missing": 50,
        "marc_indicator_blank": 50,
        "marc_control_as_data": 49,
    }
    async with magetan.acquire() as conn:
        babad = await conn.fetchrow("SELECT * FROM catalog.titles WHERE isbn13 = '9789791680479'")
        copies = await conn.fetchval("SELECT count(*) FROM catalog.items WHERE title_id = $1", babad["id"])
    assert (
        babad["title"],
        babad["subtitle"],
        babad["authors"],
        babad["publisher"],
        babad["year"],
        babad["language"],
        babad["ddc"],
        babad["subjects"],
        babad["category"],
        copies,
    ) == (
        "BABAD Tanah Jawi",
        "Mulai dari Nabi Adam sampai tahun 1647",
        ["Aning, Floriberta", "Sumarsono, HR", "Yogaswara"],
        "Narasi",
        2008,
        "ind",
        "808.3081",
        ["Cerita historis"],
        "Cerita historis",
        3,
    )


async def test_a_record_without_isbn_waits_in_the_review_list_and_is_accepted_as_a_local_title(magetan):
    report = await ingest(magetan, INLISLITE)
    catalogue = Catalogue(magetan)
    rejected = await review.rejections(catalogue, report.package_id, "open")
    first = rejected[0]
    assert (first.row, first.code, first.raw["MARC 001"], first.raw["OAI identifier"]) == (
        1,
        "isbn_missing",
        "YOGYA000000000002408",
        "oai:balaiyanpus.jogjaprov.go.id:14",
    )
    assert first.values["title"] == "PANDUAN cerdas mahasiswa Jogja"
    assert first.values["copies"] == "3"
    resolution = await review.resubmit(
        catalogue, Staff("test", "admin"), report.package_id, first.id, review.Resubmission(without_isbn=True)
    )
    assert (resolution.local_code, len(resolution.barcodes)) == ("LOK0000001", 3)


async def test_hand_made_broken_records_are_each_repaired_or_rejected_with_a_reason(magetan):
    report = await ingest(magetan, BROKEN)
    assert (report.rows, report.accepted_rows, report.titles, report.items_created) == (7, 3, 3, 4)
    assert [(r.row, r.field, r.code, r.value) for r in report.rejected] == [
        (4, "title", "title_missing", ""),
        (5, "isbn", "isbn_missing", ""),
        (6, "isbn", "isbn_checksum", "979-413-921-2"),
        (7, "isbn", "isbn_missing", ""),
    ]
    assert [(r.row, r.field, r.code, r.value) for r in report.repaired] == [
        (2, "leader", "marc_leader_missing", ""),
        (2, "001", "marc_control_as_data", "HAND-2"),
        (2, "020", "marc_indicator_blank", "#"),
        (3, "isbn", "marc_isbn_alternative", "979-222-23-5"),
        (3, "year", "marc_year_unreadable", "2150"),
        (7, "leader", "marc_leader_missing", ""),
    ]
    async with magetan.acquire() as conn:
        rows = await conn.fetch(
            "SELECT isbn13, title, subtitle, authors, publisher, year, ddc FROM catalog.titles ORDER BY isbn13"
        )
    assert [tuple(r) for r in rows] == [
        ("9786020332956", "Bumi", None, [], "Gramedia Pustaka Utama", None, None),
        ("9789793062792", "Laskar pelangi", "sebuah novel", ["Hirata, Andrea"], "Bentang", 2005, "899.2213"),
        ("9789794331569", "Bertanam sayuran di pekarangan", None, [], None, None, "635"),
    ]


PYMARC = {  # file: (flavour, rows, accepted, items, rejected (row, code))
    "marc.dat": ("iso2709", 20, 20, 20, []),
    "1251.dat": ("iso2709", 6, 0, 0, [(n, "marc_encoding_suspect") for n in range(1, 7)]),
    "multi_isbn.dat": ("iso2709", 1, 1, 1, []),
    "one.dat": ("iso2709", 1, 1, 1, []),
    "diacritic.dat": ("iso2709", 1, 1, 1, []),
    "bad_indicator.dat": ("iso2709", 1, 1, 1, []),
    "bad_records.mrc": (
        "iso2709",
        8,
        0,
        0,
        [(1, "isbn_missing")] + [(n, "marc_unreadable") for n in range(2, 8)] + [(8, "isbn_missing")],
    ),
    "testunimarc.dat": ("iso2709", 1, 0, 0, [(1, "isbn_missing")]),
    "batch.xml": ("marcxml", 2, 0, 0, [(1, "isbn_missing"), (2, "isbn_missing")]),
    "utf8_with_leader_flag.dat": ("iso2709", 1, 0, 0, [(1, "isbn_missing")]),
}


@pytest.mark.parametrize("name", sorted(PYMARC))
def test_pymarc_test_files_give_their_exact_outcome(name):
    flavour, rows, accepted, items, rejected = PYMARC[name]
    checked = check_manifest(read_manifest((DATA / "pymarc" / name).read_bytes(), name))
    assert (checked.manifest.format, len(checked.manifest.rows), checked.accepted_rows, checked.items) == (
        flavour,
        rows,
        accepted,
        items,
    )
    assert [(r.row, r.code) for r in checked.rejections] == rejected


def test_pymarc_records_map_title_author_isbn_qualifiers_and_subjects():
    one = check_manifest(read_manifest((DATA / "pymarc" / "one.dat").read_bytes())).titles[0].book
    assert (one.isbn.isbn13, one.title, one.authors, one.publisher, one.year, one.language, one.ddc, one.subjects) == (
        "9780471383147",
        "ActivePerl with ASP and ADO",
        ("Martinsson, Tobias",),
        "John Wiley & Sons",
        2000,
        "eng",
        "005.133",
        ("Perl (Computer program language)",),
    )
    diacritic = check_manifest(read_manifest((DATA / "pymarc" / "diacritic.dat").read_bytes())).titles[0].book
    assert (diacritic.isbn.isbn13, diacritic.subtitle) == ("9780415782654", "social, cultural and legal perspectives")


def test_every_open_library_file_is_read_without_a_crash():
    books = shared_books() / "openlibrary-marc-testdata"
    totals, rejected, repaired = collections.Counter(), collections.Counter(), collections.Counter()
    for path in sorted(books.glob("*_input/*")):
        if path.suffix not in (".mrc", ".xml"):
            continue
        checked = check_manifest(read_manifest(path.read_bytes(), path.name))
        totals.update(files=1, rows=len(checked.manifest.rows), accepted=checked.accepted_rows)
        rejected.update(r.code for r in checked.rejections)
        repaired.update(r[3] for r in checked.manifest.repairs)
    assert totals == {"files": 82, "rows": 82, "accepted": 15}
    assert rejected == {"isbn_missing": 59, "marc_unreadable": 4, "isbn_checksum": 2, "title_missing": 2}
    assert repaired == {"marc_ddc_unreadable": 14, "marc_year_unreadable": 1}


async def test_an_open_library_record_goes_through_the_real_ingest(magetan):
    path = shared_books() / "openlibrary-marc-testdata" / "bin_input" / "lc_1416500308.mrc"
    report = await ingest(magetan, path)
    assert (report.rows, report.accepted_rows, report.items_created, report.rejected) == (1, 1, 1, [])


def test_the_format_is_recognised_by_content_not_by_name():
    iso = (DATA / "pymarc" / "one.dat").read_bytes()
    assert read_manifest(iso, "daftar.csv").format == "iso2709"
    assert read_manifest(INLISLITE.read_bytes(), "x.txt").format == "oai-pmh"
    assert read_manifest(BROKEN.read_bytes(), "").format == "marcxml"


def test_a_truncated_iso_file_and_broken_xml_are_reported_not_crashed():
    iso = (DATA / "pymarc" / "marc.dat").read_bytes()
    checked = check_manifest(read_manifest(iso[:3000]))
    assert [(r.row, r.code) for r in checked.rejections][-1:] == [(len(checked.manifest.rows), "marc_unreadable")]
    with pytest.raises(UnusableManifest) as broken:
        read_manifest(b'<?xml version="1.0"?><collection><record><datafield tag="245">')
    assert broken.value.code == "file_format"
    with pytest.raises(UnusableManifest) as empty:
        read_manifest(b'<collection xmlns="http://www.loc.gov/MARC21/slim"></collection>')
    assert empty.value.code == "marc_no_records"


async def test_the_same_marc_file_twice_creates_nothing_new(magetan):
    first = await ingest(magetan, INLISLITE)
    again = await ingest(magetan, INLISLITE)
    assert (again.already_ingested, again.package_id, again.items_created) == (True, first.package_id, 0)


def test_a_manifest_report_keeps_exactly_the_designed_keys():
    """`repaired` appears only when a reader repaired something; spreadsheets never add it."""
    import msgspec

    from services.catalog.ingest import IngestReport

    report = IngestReport("x", 1, 0, 0, 0, 0, 0, 0, False, [])
    assert "repaired" not in json.loads(msgspec.json.encode(report))


async def test_the_cli_ingests_a_marc_file_by_its_content(magetan, database_url):
    from tests.integration.test_cli import run_cli

    result = await run_cli(database_url, "ingest", str(INLISLITE), "--library", GONGGANG, "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert (
        report["rows"],
        report["accepted_rows"],
        report["items_created"],
        len(report["rejected"]),
        len(report["repaired"]),
    ) == (50, 12, 16, 38, 249)
    human = await run_cli(database_url, "ingest", str(DATA / "pymarc" / "marc.dat"), "--library", GONGGANG)
    assert human.returncode == 0, human.stderr
    assert "20 rows read, 20 accepted" in human.stdout
