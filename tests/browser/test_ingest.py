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
        done = {
            r["row"]: r["status"]
            for r in (
                await http.get(f"/api/catalog/v1/packages/{package['id']}/rejections", params={"status": "all"})
            ).json()
        }
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


async def test_the_review_marks_the_faulty_field_counts_fixes_and_accepts_without_clearing_the_isbn(
    magetan, server, new_page, tmp_path
):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/#paket")
    await log_in(page, "sri")
    upload = page.get_by_label("Daftar buku (Excel XLSX, CSV atau JSON dari Perpusnas)")

    # A file that is no book list is refused in Indonesian, not with the server's English detail.
    no_isbn = tmp_path / "anggota.csv"
    no_isbn.write_text("Nama;Alamat\nSiti;Gonggang\n", encoding="utf-8")
    await upload.set_input_files(str(no_isbn))
    await page.get_by_role("button", name="Unggah dan daftarkan").click()
    await expect(page.locator("#package-msg")).to_have_text(
        re.compile(r"^Kolom ISBN tidak ditemukan di baris-baris awal")
    )
    picture = tmp_path / "foto.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    await upload.set_input_files(str(picture))
    await page.get_by_role("button", name="Unggah dan daftarkan").click()
    await expect(page.locator("#package-msg")).to_have_text("Format berkas tidak dikenal. Gunakan CSV, XLSX atau JSON.")

    await upload.set_input_files(str(MESSY))
    await page.get_by_role("button", name="Unggah dan daftarkan").click()
    kpis = page.locator("#package-report .kpi")
    await expect(kpis.filter(has_text="Baris ditolak")).to_contain_text("10")
    row = lambda n: page.locator("#rejects tbody tr", has=page.locator("th", has_text=re.compile(rf"^{n}$")))  # noqa: E731

    # The faulty field is the one highlighted: Jumlah on row 30; after a fix that breaks the year, Tahun.
    copies, year = row(30).get_by_label("Jumlah"), row(30).get_by_label("Tahun")
    await expect(copies).to_have_css("border-top-color", "rgb(153, 27, 27)")
    await expect(year).not_to_have_attribute("aria-invalid", "true")
    await copies.fill("2")
    await year.fill("3000")
    await row(30).get_by_role("button", name="Kirim ulang").click()
    await expect(row(30).locator(".msg.bad")).to_have_text("Tahun terbit tidak masuk akal.")
    await expect(year).to_have_attribute("aria-invalid", "true")
    await expect(year).to_have_css("border-top-color", "rgb(153, 27, 27)")
    await expect(copies).not_to_have_attribute("aria-invalid", "true")
    await screenshots(page, "desk-ingest-highlight")

    # "Terima tanpa ISBN" works on a row whose ISBN Excel broke, without clearing the field first.
    await expect(row(18).get_by_label("ISBN")).to_have_value("9.78979E+12")
    await row(18).get_by_role("button", name="Terima tanpa ISBN").click()
    await expect(row(18)).to_contain_text("Baris 18 diterima.")
    created = int(re.search(r"(\d+) eksemplar baru", await row(18).inner_text()).group(1))
    # The counts follow the fixes.
    await expect(kpis.filter(has_text="Baris diterima")).to_contain_text("31")
    await expect(kpis.filter(has_text="Eksemplar dibuat")).to_contain_text(str(34 + created))
    await expect(kpis.filter(has_text="Baris ditolak")).to_contain_text("9")
    await expect(page.locator("#package-list tbody tr").first.locator("td.num").nth(1)).to_have_text("9")
    await screenshots(page, "desk-ingest-counts")
    assert not page.js_errors
