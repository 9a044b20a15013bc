"""A district officer opens the dashboard: indicators per library, the monthly chart, breakdowns, and the
XLSX download, whose figures match the statistics API."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import openpyxl
from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.browser.test_desk import barcodes_of
from tests.browser.test_opac import GONGGANG, SOMBO, ingest_clean_manifest
from tests.support import make_user, token_for

CIRC = "/api/circulation/v1"
MAGETAN = "35.20"


async def lend(http, headers, library, name, birth_year, gender, barcodes) -> None:
    member = await http.post(
        f"{CIRC}/members",
        headers=headers,
        json={"name": name, "library": library, "birth_year": birth_year, "gender": gender},
    )
    assert member.status_code == 201, member.text
    for barcode in barcodes:
        loan = await http.post(
            f"{CIRC}/loans",
            headers=headers,
            json={"item_barcode": barcode, "member_number": member.json()["member_number"]},
        )
        assert loan.status_code == 201, loan.text


async def test_a_district_officer_reads_the_dashboard_and_downloads_the_xlsx(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG, SOMBO)
    gonggang, sombo = await barcodes_of(magetan, GONGGANG), await barcodes_of(magetan, SOMBO)
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    query = {"scope": f"kabupaten:{MAGETAN}", "from": f"{today.year}-01-01", "to": today.isoformat()}
    async with httpx.AsyncClient(base_url=server) as http:
        desk_g = await token_for(http, magetan, "sri", "librarian", GONGGANG)
        desk_s = await token_for(http, magetan, "ani", "librarian", SOMBO)
        await lend(http, desk_g, GONGGANG, "Siti Aminah", 1990, "P", gonggang[:2])
        await lend(http, desk_g, GONGGANG, "Budi Santoso", 2015, "L", gonggang[2:3])
        await lend(http, desk_s, SOMBO, "Wati Lestari", 1950, "P", sombo[:1])
        await http.post(f"{CIRC}/returns", headers=desk_g, json={"item_barcode": gonggang[0]})
        await http.post(
            f"{CIRC}/visits",
            headers=desk_g,
            json={"library": GONGGANG, "date": today.isoformat(), "member_visits": 5, "non_member_visits": 3},
        )
        district = await token_for(http, magetan, "dinas-cek", "district", MAGETAN)
        answer = await http.get(f"{CIRC}/stats", params={**query, "group_by": "month"}, headers=district)
        assert answer.status_code == 200, answer.text
        api = answer.json()
        rollup = (await http.get(f"{CIRC}/stats/libraries", params=query, headers=district)).json()
    api_loans = sum(g["indicators"]["loans"] or 0 for g in api["groups"])
    api_visits = sum(g["indicators"]["visits"] or 0 for g in api["groups"])
    assert api_loans == 4
    by_library = {r["library"]: r["indicators"] for r in rollup["libraries"]}
    assert by_library[GONGGANG]["loans"] == 3 and by_library[SOMBO]["loans"] == 1

    await make_user(magetan, "dinas", "district", MAGETAN)
    page = await new_page("/dashboard/", viewport={"width": 1280, "height": 900})
    await expect(page.get_by_role("heading", name="Masuk sebagai petugas dinas")).to_be_visible()
    await log_in(page, "dinas")
    await expect(page.locator("[data-kpi=loans] b")).to_have_text(str(api_loans))
    await expect(page.locator("[data-kpi=visits] b")).to_have_text(str(api_visits))
    await expect(page.get_by_label("Wilayah")).to_have_value(f"kabupaten:{MAGETAN}")
    # The chart is drawn: one bar per series and month, described for screen readers.
    await expect(page.locator("#chart svg[role=img] desc")).to_contain_text("Diagram batang")
    assert await page.locator("#chart svg rect").count() == 2 * len(api["groups"])
    # Indicators per library, side by side.
    row = page.locator(f"#library-table tr[data-library='{GONGGANG}']")
    await expect(row.locator("td").first).to_have_text("3")
    await expect(page.locator(f"#library-table tr[data-library='{SOMBO}'] td").first).to_have_text("1")
    await expect(page.locator("#library-table tbody tr")).to_have_count(len(rollup["libraries"]))
    # Breakdowns: loans by member category and gender.
    await expect(page.locator("#bd-gender")).to_contain_text("Perempuan")
    await expect(page.locator("#bd-category")).to_contain_text("Dewasa")
    await screenshots(page, "dashboard")

    # The XLSX download carries the same figures as the API.
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="XLSX", exact=True).click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    await expect(page.locator("#dl-msg")).to_contain_text("diunduh")
    book = openpyxl.load_workbook(io.BytesIO(open(await download.path(), "rb").read()), read_only=True)
    rows = list(book["Indikator"].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    loans, code, name = header.index("Peminjaman"), header.index("Kode"), header.index("Nama")
    assert sum(r[loans] or 0 for r in body if r[name] == "Semua") == api_loans
    assert sum(r[loans] or 0 for r in body if r[code] == GONGGANG) == by_library[GONGGANG]["loans"]
    assert sum(r[loans] or 0 for r in body if r[code] == SOMBO) == by_library[SOMBO]["loans"]
    visits = header.index("Kunjungan")
    assert sum(r[visits] or 0 for r in body if r[name] == "Semua") == api_visits

    # CSV too, and the monthly PDF report of the period's last month.
    async with page.expect_download() as csv_info:
        await page.get_by_role("button", name="CSV", exact=True).click()
    assert (await csv_info.value).suggested_filename.endswith(".csv")
    async with page.expect_download() as pdf_info:
        await page.get_by_role("button", name="PDF", exact=True).click()
    pdf = await pdf_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert Path(await pdf.path()).read_bytes().startswith(b"%PDF")
    assert not page.js_errors
