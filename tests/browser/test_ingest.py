"""A librarian registers an aid package from a messy manifest, reads the report, fixes a rejected row in
the page (a wrong fix is refused in words first), accepts a book without ISBN, and prints labels."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import expect

from pustaka.seeding import seeds_dir
from tests.browser.conftest import log_in, screenshots
from tests.browser.test_opac import GONGGANG
from tests.support import make_user, token_for

MESSY = seeds_dir() / "examples" / "manifest-berantakan.csv"


async def test_a_librarian_uploads_a_messy_manifest_and_fixes_a_rejected_row(magetan, server, new_page):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/#paket")
    await log_in(page, "sri")
    await expect(page.get_by_role("heading", name="Daftarkan paket buku bantuan")).to_be_visible()
    await expect(page.locator("#package-list")).to_contain_text("Belum ada paket.")

    await page.get_by_label("Daftar buku (Excel XLSX, CSV atau JSON dari Perpusnas)").set_input_files(str(MESSY))
    await page.get_by_role("button", name="Unggah dan daftarkan").click()
    await expect(page.locator("#package-msg")).to_have_text("Selesai: 30 dari 40 baris diterima, 34 eksemplar dibuat.")
    kpis = page.locator("#package-report .kpi")
    await expect(kpis.filter(has_text="Baris ditolak")).to_contain_text("10")
    await expect(kpis.filter(has_text="ISBN dipulihkan")).to_contain_text("1")
    rows = page.locator("#rejects tbody tr[data-status=open]")
    await expect(rows).to_have_count(10)
    row5 = page.locator("#rejects tbody tr", has=page.locator("th", has_text=re.compile(r"^5$")))
    await expect(row5).to_contain_text("Angka periksa ISBN salah")
    await expect(row5).to_contain_text("979-413-921-2")
    await screenshots(page, "desk-ingest-report")

    # A wrong fix is refused in words, in the row; the right one is accepted and gets barcodes.
    isbn = row5.get_by_label("ISBN")
    await expect(isbn).to_have_attribute("aria-invalid", "true")
    await isbn.fill("979-413-921-3")
    await row5.get_by_role("button", name="Kirim ulang").click()
    await expect(row5.locator(".msg.bad")).to_contain_text("Angka periksa ISBN salah")
    await isbn.fill("979-413-921-1")
    await row5.get_by_role("button", name="Kirim ulang").click()
    await expect(row5).to_contain_text(re.compile(r"Baris 5 diterima\. 1 eksemplar baru: \d{12}\."))
    await expect(page.locator("#rejects tbody tr[data-status=open]")).to_have_count(9)

    # A book that truly has no ISBN is accepted from the review list with a local identifier.
    row21 = page.locator("#rejects tbody tr", has=page.locator("th", has_text=re.compile(r"^21$")))
    await expect(row21).to_contain_text("ISBN kosong")
    await row21.get_by_role("button", name="Terima tanpa ISBN").click()
    await expect(row21).to_contain_text("Baris 21 diterima.")
    await screenshots(page, "desk-ingest-fixed")

    # Spine and barcode labels for the copies of the fixed row, as an A4 PDF.
    async with page.expect_download() as download_info:
        await row5.get_by_role("button", name="Cetak label").click()
    download = await download_info.value
    pdf = open(await download.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and download.suggested_filename.startswith("label-paket-")

    # What the catalogue recorded: row 5 fixed, its book is now held, row 21 accepted without ISBN.
    async with httpx.AsyncClient(base_url=server) as http:
        headers = await token_for(http, magetan, "sri-cek", "librarian", GONGGANG)
        package = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/packages")).json()[0]
        assert package["open_rejections"] == 8
        done = {r["row"]: r["status"] for r in (await http.get(
            f"/api/catalog/v1/packages/{package['id']}/rejections", params={"status": "all"})).json()}
        assert done[5] == "fixed" and done[21] == "accepted_local"
        title = (await http.get("/api/catalog/v1/titles/9789794139219")).json()
        assert [h["library"] for h in title["holdings"]] == [GONGGANG]
        labels = await http.get(f"/api/catalog/v1/packages/{package['id']}/labels.pdf", headers=headers)
        assert labels.status_code == 200 and labels.headers["content-type"] == "application/pdf"
        assert (await http.get(f"/api/catalog/v1/packages/{package['id']}/labels.pdf")).status_code == 401

    # The package list shows what is left to fix.
    await expect(page.locator("#package-list tbody tr").first).to_contain_text("manifest-berantakan.csv")
    await expect(page.locator("#package-list tbody tr").first.locator("td.num").nth(1)).to_have_text("8")
    assert not page.js_errors
