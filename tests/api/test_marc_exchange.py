"""A library's collection leaves as MARC21 and comes back: export over HTTP and the CLI, upload a MARC file,
and a round trip into an empty catalogue that keeps every title and class."""

import io
from pathlib import Path

import pytest
from lxml import etree
from pymarc import MARCReader

from pustaka.seeding import load_libraries, read_libraries, read_package_index, seeds_dir
from services.catalog.ingest import ingest_package
from tests.integration.test_cli import run_cli
from tests.support import token_for

GONGGANG = "35.20.01.2002"
SOMBO = "35.20.01.2008"
MARC = "{http://www.loc.gov/MARC21/slim}"
DC = "{http://purl.org/dc/elements/1.1/}"
DATA = Path(__file__).resolve().parents[1] / "data" / "marc"
FACTS = (
    "SELECT t.isbn13, t.title, t.subtitle, t.authors, t.publisher, t.year, t.language, t.ddc, t.subjects, "
    "count(*) AS copies FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id "
    "WHERE i.library_code = $1 GROUP BY t.id ORDER BY t.isbn13"
)


@pytest.fixture
async def gonggang(magetan):
    entry = next(e for e in read_package_index(seeds_dir()) if e["library"] == GONGGANG)
    path = seeds_dir() / "packages" / entry["file"]
    async with magetan.acquire() as conn:
        await ingest_package(conn, library=GONGGANG, data=path.read_bytes(), source_name=path.name, actor="test")
    return magetan


async def facts(pool, library: str) -> list[tuple]:
    async with pool.acquire() as conn:
        return [tuple(r) for r in await conn.fetch(FACTS, library)]


async def test_export_as_marcxml_and_import_into_an_empty_catalogue_keeps_every_title_and_class(
    gonggang, http, empty_database
):
    before = await facts(gonggang, GONGGANG)
    answer = await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/export.xml")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == f'attachment; filename="katalog-{GONGGANG}.xml"'
    records = etree.fromstring(answer.content).findall(f"{MARC}record")
    assert len(records) == len(before)
    assert sum(len(r.findall(f"{MARC}datafield[@tag='852']")) for r in records) == sum(f[-1] for f in before)

    await empty_database()
    async with gonggang.acquire() as conn:
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        report = await ingest_package(conn, library=SOMBO, data=answer.content, source_name="katalog.xml", actor="test")
    assert (report.rows, report.accepted_rows, report.rejected, report.repaired) == (len(before), len(before), [], [])
    assert await facts(gonggang, SOMBO) == before


async def test_iso2709_and_dublin_core_exports(gonggang, http):
    held = await facts(gonggang, GONGGANG)
    iso = await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/export.mrc")
    assert iso.headers["content-type"] == "application/marc"
    records = list(MARCReader(io.BytesIO(iso.content), to_unicode=True))
    assert len(records) == len(held)
    assert all(r.leader[9] == "a" for r in records)  # UTF-8
    first = next(r for r in records if r.get_fields("082"))
    holding = first.get_fields("852")[0]
    assert (holding["a"], len(holding["p"]), holding["h"].split()[0]) == (GONGGANG, 12, first["082"]["a"])

    dc = await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/export.dc.xml")
    root = etree.fromstring(dc.content)
    titles = root.findall(f".//{DC}title")
    assert len(titles) == len(held)
    assert {e.tag.removeprefix(DC) for e in root.iter() if e.tag.startswith(DC)} <= {
        "title",
        "creator",
        "subject",
        "publisher",
        "date",
        "type",
        "identifier",
        "language",
    }


async def test_an_unknown_library_cannot_be_exported(magetan, http):
    answer = await http.get("/api/catalog/v1/libraries/35.20.99.9999/export.xml")
    assert (answer.status_code, answer.json()["code"]) == (404, "library_not_found")


async def test_the_cli_exports_iso2709_that_the_cli_imports_again(gonggang, database_url, tmp_path):
    target = tmp_path / "gonggang.mrc"
    result = await run_cli(database_url, "export", "--library", GONGGANG, "--format", "iso2709", "-o", str(target))
    assert result.returncode == 0, result.stderr
    again = await run_cli(database_url, "ingest", str(target), "--library", SOMBO)
    assert again.returncode == 0, again.stderr
    assert await facts(gonggang, SOMBO) == await facts(gonggang, GONGGANG)
    wrong = await run_cli(database_url, "export", "--library", GONGGANG, "--format", "mods")
    assert (wrong.returncode, "format_invalid" in wrong.stderr) == (2, True)


async def test_a_librarian_uploads_a_marc_file_like_a_manifest(http, magetan):
    librarian = await token_for(http, magetan, "sri", "librarian", GONGGANG)
    data = (DATA / "pymarc" / "marc.dat").read_bytes()
    answer = await http.post(
        f"/api/catalog/v1/libraries/{GONGGANG}/packages",
        headers=librarian,
        files={"file": ("katalog.mrc", data, "application/marc")},
    )
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (report["rows"], report["accepted_rows"], report["items_created"], report["rejected"]) == (20, 20, 20, [])
