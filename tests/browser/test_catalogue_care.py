"""A librarian keeps the catalogue in the browser: corrects a title and gives it a class (its spine labels
are reprinted), confirms suggested classes for several titles at once, records a donation by scanning the
back cover, and runs a stock-take with a USB scanner (typing + Enter) and a scanner's file, to its report."""

from __future__ import annotations

import asyncio

from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.browser.test_desk import scan
from tests.circulation.conftest import GONGGANG, ingest_books
from tests.support import make_user

AKAR = "9789794139219"


async def test_a_librarian_edits_and_classifies_titles_and_records_a_donation(magetan, server, new_page):
    books = await ingest_books(magetan, GONGGANG)
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/katalog")
    await log_in(page, "sri")
    await expect(page.get_by_role("link", name="Ubah judul")).to_have_attribute("aria-current", "page")

    edit = page.locator("#tab-judul")
    await edit.get_by_label("ISBN (pindai sampul belakang atau ketik)").fill("979-413-921-1")
    await edit.get_by_role("button", name="Buka").click()
    await expect(edit.get_by_label("Judul", exact=True)).to_have_value("Akar wangi")
    await expect(page.locator("#f-hint")).to_contain_text("000 SAN a")
    await edit.get_by_label("Judul", exact=True).fill("Akar Wangi: Bertanam dan Penyulingan")
    await edit.get_by_label("Nomor klas DDC").fill("9999")
    await page.get_by_role("button", name="Simpan", exact=True).click()
    await expect(page.locator("#edit-msg")).to_have_text("Nomor klasifikasi DDC tidak sah.")
    await edit.get_by_label("Nomor klas DDC").fill("633.8")
    await page.get_by_role("button", name="Simpan", exact=True).click()
    await expect(page.locator("#edit-msg")).to_have_text(
        "Tersimpan. 1 eksemplar mendapat nomor panggil baru: cetak ulang labelnya."
    )
    await expect(page.locator("#f-hint")).to_contain_text("633.8 SAN a")
    await screenshots(page, "katalog-edit")
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Cetak ulang label punggung").click()
    pdf = await (await download.value).path()
    assert open(pdf, "rb").read(4) == b"%PDF"

    await page.get_by_role("link", name="Klasifikasi").click()
    rows = page.locator("#classify-table tbody tr")
    await expect(rows).to_have_count(4)
    await expect(rows.first).to_contain_text("Agar jatuh cinta tak jadi bencana")
    await screenshots(page, "katalog-klasifikasi")
    await page.get_by_role("button", name="Simpan klasifikasi yang dicentang").click()
    await expect(page.locator("#classify-msg")).to_have_text("3 judul diberi nomor klas.")
    await expect(rows).to_have_count(1)

    await page.get_by_role("link", name="Tambah eksemplar").click()
    isbn = page.locator("#a-isbn")
    await isbn.focus()
    await page.keyboard.type("9771234567003", delay=5)  # a magazine's EAN scanned by mistake
    await page.keyboard.press("Enter")
    await page.get_by_role("button", name="Tambahkan").click()
    await expect(page.locator("#add-msg")).to_contain_text("bukan ISBN buku")
    await isbn.fill("")
    await isbn.focus()
    await page.keyboard.type("9789793062792", delay=5)
    await page.keyboard.press("Enter")
    await expect(page.locator("#a-known")).to_have_text("Belum ada di katalog: isi judulnya.")
    await page.locator("#a-title").fill("Laskar Pelangi")
    await page.locator("#a-authors").fill("Andrea Hirata")
    await page.locator("#a-ddc").fill("899.221")
    await page.get_by_label("Jumlah eksemplar").fill("2")
    await page.get_by_role("button", name="Tambahkan").click()
    await expect(page.locator("#add-msg")).to_contain_text("2 eksemplar ditambahkan, nomor panggil 899.221 HIR l")
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Cetak label buku baru").click()
    assert open(await (await download.value).path(), "rb").read(4) == b"%PDF"
    await screenshots(page, "katalog-tambah")

    await page.get_by_role("link", name="Keluarkan / rusak").click()
    await page.get_by_label("Barcode buku").fill(books[AKAR][0])
    await page.get_by_label("Alasan").fill("rayap")
    await page.get_by_role("button", name="Tandai rusak").click()
    await expect(page.locator("#weed-msg")).to_have_text(f"Eksemplar {books[AKAR][0]} sekarang: rusak.")
    await screenshots(page, "katalog-keluarkan")
    assert page.js_errors == []


async def test_a_stocktake_at_the_desk_from_scans_to_report(magetan, server, new_page, tmp_path):
    books = await ingest_books(magetan, GONGGANG)
    await make_user(magetan, "sri", "librarian", GONGGANG)
    async with magetan.acquire() as conn:
        shelf = [
            r["barcode"]
            for r in await conn.fetch(
                "SELECT barcode FROM catalog.items WHERE library_code = $1 ORDER BY call_number, barcode", GONGGANG
            )
        ]
    assert len(shelf) == 12 and books
    page = await new_page("/desk/stok-opname")
    await log_in(page, "sri")
    await expect(page.get_by_role("heading", name="Mulai stock opname")).to_be_visible()
    await page.get_by_role("button", name="Mulai stock opname").click()
    await expect(page.locator("#k-expected")).to_have_text("12")
    for barcode in shelf[:5] + [shelf[0], "123456789012"]:
        await scan(page, barcode)
    await expect(page.locator("#k-found")).to_have_text("5")
    await expect(page.locator("#last-scans")).to_contain_text(f"{shelf[0]}: sudah dipindai (dihitung sekali)")
    await expect(page.locator("#last-scans")).to_contain_text("123456789012: barcode tidak dikenal")
    await screenshots(page, "stokopname-scan")

    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await page.reload()  # resumable: the open stock-take comes back
    await expect(page.locator("#k-found")).to_have_text("5")
    scanner_file = tmp_path / "rak-2.txt"
    scanner_file.write_text("\n".join(shelf[5:10]) + "\n")
    await page.get_by_label("Atau unggah berkas teks dari alat pemindai (satu barcode per baris)").set_input_files(
        str(scanner_file)
    )
    await page.get_by_role("button", name="Unggah", exact=True).click()
    await expect(page.locator("#k-found")).to_have_text("10")
    await expect(page.locator("#scan-msg")).to_have_text("5 buku baru tercatat · 10 sudah ditemukan.")
    await page.get_by_label("Tandai buku yang tidak ditemukan sebagai hilang").check()
    await page.get_by_role("button", name="Selesaikan stock opname").click()
    await expect(page.locator("#report")).to_contain_text("10 dari 12 eksemplar ditemukan, 2 tidak ditemukan.")
    await expect(page.get_by_text("Tidak ditemukan (2)")).to_be_visible()
    await expect(page.get_by_text("Ditandai hilang (2)")).to_be_visible()
    await screenshots(page, "stokopname-laporan")
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Unduh Excel").click()
    assert (await download.value).suggested_filename.endswith(".xlsx")
    assert page.js_errors == []
