"""A librarian registers the aid package that just arrived: the real manifests of seeds/, clean and messy."""

import asyncio
import json
from pathlib import Path

import pytest

from pustaka.errors import NotFound
from pustaka.seeding import read_package_index, seeds_dir
from services.catalog.domain.manifest import UnusableManifest
from services.catalog.ingest import ingest_package

SEEDS = seeds_dir()
MESSY = SEEDS / "examples" / "manifest-berantakan.csv"
GONGGANG = "35.20.01.2002"


def seed_package(index: int) -> tuple[str, Path]:
    entry = read_package_index(SEEDS)[index]
    return entry["library"], SEEDS / "packages" / entry["file"]


async def ingest(pool, library: str, path: Path, **options):
    async with pool.acquire() as conn:
        return await ingest_package(
            conn, library=library, data=path.read_bytes(), source_name=path.name, actor="test", **options
        )


async def count(pool, sql: str, *args) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval(sql, *args)


async def test_a_messy_manifest_reports_every_bad_row_and_ingests_the_rest(magetan):
    report = await ingest(magetan, GONGGANG, MESSY)
    expected = json.loads(MESSY.with_suffix(".expected.json").read_text())
    assert (
        report.rows,
        report.accepted_rows,
        report.titles,
        report.items_created,
        report.duplicates_merged,
        report.recovered_isbns,
        report.already_ingested,
    ) == (40, 30, 29, 34, 1, 1, False)
    assert [(r.row, r.field, r.code, r.value) for r in report.rejected] == [
        (5, "isbn", "isbn_checksum", "979-413-921-2"),
        (8, "isbn", "isbn_checksum", "979-222-23-5"),
        (11, "isbn", "isbn_length", "97930629244"),
        (14, "isbn", "isbn_length", "978979756836"),
        (16, "isbn", "isbn_characters", "97860A1234567"),
        (18, "isbn", "isbn_scientific_notation", "9.78979E+12"),
        (21, "isbn", "isbn_missing", ""),
        (23, "isbn", "isbn_prefix", "9771234567003"),
        (30, "copies", "copies_not_positive", "-1"),
        (32, "copies", "copies_not_a_number", "dua"),
    ]
    assert [r["row"] for r in expected["rows"] if r["status"] == "rejected"] == [r.row for r in report.rejected]
    assert await count(magetan, "SELECT count(*) FROM catalog.items WHERE package_id = $1", report.package_id) == 34
    assert (
        await count(
            magetan,
            "SELECT count(*) FROM catalog.rejections WHERE package_id = $1 AND status = 'open'",
            report.package_id,
        )
        == 10
    )


async def test_rejected_rows_keep_their_raw_values_for_review(magetan):
    report = await ingest(magetan, GONGGANG, MESSY)
    async with magetan.acquire() as conn:
        raw = json.loads(
            await conn.fetchval(
                "SELECT raw FROM catalog.rejections WHERE package_id = $1 AND row_number = 18", report.package_id
            )
        )
    assert raw["Judul"].startswith("BABAD Tanah Jawi")
    assert raw["ISBN"] == "9.78979E+12"
    assert raw["Kategori"] == "Cerita historis"


async def test_a_title_with_quotes_semicolons_and_a_line_break_is_kept_whole(magetan):
    await ingest(magetan, GONGGANG, MESSY)
    title = await count(magetan, "SELECT title FROM catalog.titles WHERE isbn13 = '9781416997856'")
    # the line break inside the spreadsheet cell is folded into a space; quotes and semicolons stay
    assert title == 'The Mortal Instruments Boxed Set: "City of Bones"; "City of Ashes"; "City of Glass"'
    accents = await count(magetan, "SELECT title FROM catalog.titles WHERE isbn13 = '9780061779749'")
    assert accents == "Sacré Bleu – A Comedy d’Art"


async def test_a_seed_package_creates_a_thousand_titles_with_unique_barcodes_and_call_numbers(magetan):
    library, path = seed_package(0)
    report = await ingest(magetan, library, path)
    assert report.titles == 1000
    assert report.rows == report.accepted_rows + len(report.rejected)
    assert all(r.code == "isbn_missing" for r in report.rejected)
    items = await count(magetan, "SELECT count(DISTINCT barcode) FROM catalog.items WHERE library_code = $1", library)
    assert items == report.items_created >= 1000
    assert (
        await count(
            magetan, "SELECT count(*) FROM catalog.items WHERE call_number !~ '^\\d{3}(\\.\\d+)? [A-Z]{1,3} [a-z]$'"
        )
        == 0
    )
    queued = await count(
        magetan, "SELECT count(DISTINCT title_id) FROM catalog.search_outbox WHERE library_code = $1", library
    )
    assert queued == 1000


async def test_the_same_file_twice_creates_nothing_new(magetan):
    library, path = seed_package(1)
    first = await ingest(magetan, library, path)
    second = await ingest(magetan, library, path)
    assert second.already_ingested and second.package_id == first.package_id
    assert second.items_created == 0
    assert await count(magetan, "SELECT count(*) FROM catalog.items") == first.items_created
    assert await count(magetan, "SELECT count(*) FROM catalog.packages") == 1


async def test_the_same_file_sent_twice_at_once_is_one_package(magetan):
    library, path = seed_package(2)
    reports = await asyncio.gather(ingest(magetan, library, path), ingest(magetan, library, path))
    assert sorted(r.already_ingested for r in reports) == [False, True]
    assert await count(magetan, "SELECT count(*) FROM catalog.packages") == 1
    assert await count(magetan, "SELECT count(*) FROM catalog.items") == max(r.items_created for r in reports)


async def test_two_libraries_ingest_overlapping_packages_at_once(magetan):
    (lib_a, path_a), (lib_b, path_b) = seed_package(3), seed_package(4)
    a, b = await asyncio.gather(ingest(magetan, lib_a, path_a), ingest(magetan, lib_b, path_b))
    assert not a.already_ingested and not b.already_ingested
    distinct = await count(magetan, "SELECT count(*) FROM catalog.titles")
    shared = await count(
        magetan,
        """SELECT count(*) FROM (SELECT title_id FROM catalog.items GROUP BY title_id
                                     HAVING count(DISTINCT library_code) = 2) s""",
    )
    assert distinct == 2000 - shared and shared > 0
    assert await count(magetan, "SELECT count(*) FROM catalog.items") == a.items_created + b.items_created


async def test_a_dry_run_checks_the_file_and_stores_nothing(magetan):
    report = await ingest(magetan, GONGGANG, MESSY, dry_run=True)
    assert (report.package_id, report.items_created, len(report.rejected)) == (None, 34, 10)
    assert await count(magetan, "SELECT count(*) FROM catalog.packages") == 0


async def test_an_unknown_library_is_refused_before_anything_is_stored(magetan):
    with pytest.raises(NotFound) as caught:
        await ingest(magetan, "35.20.99.9999", MESSY)
    assert caught.value.code == "library_not_found"
    assert await count(magetan, "SELECT count(*) FROM catalog.titles") == 0


async def test_a_file_without_an_isbn_column_is_refused_whole(magetan, tmp_path):
    path = tmp_path / "tanpa-isbn.csv"
    path.write_bytes("No;Judul;Pengarang\n1;Laskar Pelangi;Andrea Hirata\n".encode("cp1252"))
    with pytest.raises(UnusableManifest) as caught:
        await ingest(magetan, GONGGANG, path)
    assert caught.value.code == "no_isbn_column"
    assert await count(magetan, "SELECT count(*) FROM catalog.packages") == 0


async def test_a_later_package_fills_what_an_earlier_one_left_empty_but_never_overwrites(magetan, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("isbn,title,authors,year\n9789793062792,Laskar Pelangi,Andrea Hirata,2005\n")
    second = tmp_path / "b.csv"
    second.write_text("isbn,title,publisher,year,ddc\n9789793062792,LASKAR PELANGI,Bentang Pustaka,2008,899.2213\n")
    await ingest(magetan, GONGGANG, first)
    await ingest(magetan, "35.20.01.2008", second)
    async with magetan.acquire() as conn:
        row = await conn.fetchrow("SELECT title, publisher, year, ddc FROM catalog.titles")
    assert dict(row) == {"title": "Laskar Pelangi", "publisher": "Bentang Pustaka", "year": 2005, "ddc": "899.2213"}
