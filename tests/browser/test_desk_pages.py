"""A librarian's day beyond lending, in Chromium at phone width: the guest-book kiosk at the entrance, the
member list (edit, suspend, renew, card), holds, a damaged copy, the visits tally, reading on the spot and
an activity. Each story checks what reached the database and the district statistics."""

from __future__ import annotations

import datetime as dt
import re

import httpx
from playwright.async_api import expect

from services.circulation.clock import today
from tests.browser.conftest import log_in, screenshots
from tests.browser.test_desk import barcodes_of
from tests.browser.test_opac import GONGGANG, ingest_clean_manifest, wait_until_searchable
from tests.support import make_user, token_for

CIRC = "/api/circulation/v1"


async def member(http: httpx.AsyncClient, headers: dict, name: str, birth_year: int, gender: str) -> str:
    answer = await http.post(
        f"{CIRC}/members",
        headers=headers,
        json={"name": name, "library": GONGGANG, "birth_year": birth_year, "gender": gender},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["member_number"]


async def day_stats(http: httpx.AsyncClient, magetan) -> dict:
    """Today's indicators of Gonggang as the district sees them."""
    district = await token_for(http, magetan, "dinas", "district", "35.20")
    day = today().isoformat()
    answer = await http.get(
        f"{CIRC}/stats",
        headers=district,
        params={"scope": f"library:{GONGGANG}", "from": day, "to": day, "breakdown": "category,gender"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["groups"][0]


async def test_the_guest_book_kiosk_records_a_member_and_a_non_member(magetan, server, new_page):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    async with httpx.AsyncClient(base_url=server) as http:
        desk = await token_for(http, magetan, "sri-api", "librarian", GONGGANG)
        number = await member(http, desk, "Rina Wulandari", today().year - 15, "P")

    page = await new_page("/desk/kiosk")
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_visible()
    await screenshots(page, "kiosk-login")
    await log_in(page, "sri")
    await expect(page.get_by_role("heading", name="Selamat datang! Silakan isi buku tamu.")).to_be_visible()
    await screenshots(page, "kiosk-home")
    # A member scans the card: the scanner types the number and Enter.
    await page.get_by_label("Anggota: pindai kartu Anda atau ketik nomornya").fill(number)
    await page.keyboard.press("Enter")
    await expect(page.locator("#k-thanks")).to_have_text("Terima kasih, anggota! Selamat membaca.")
    await expect(page.locator("#k-tally")).to_have_text("Pengunjung hari ini: 1")
    await screenshots(page, "kiosk-thanks")
    await page.get_by_role("button", name="Pengunjung berikutnya").click()
    # A wrong number finds nobody and records nothing.
    await page.get_by_label("Anggota: pindai kartu Anda atau ketik nomornya").fill("3520012002-999999")
    await page.keyboard.press("Enter")
    await expect(page.locator("#k-msg")).to_have_text(
        "Nomor anggota tidak ditemukan. Coba pindai lagi, atau tanyakan pustakawan."
    )
    # A non-member taps an age group and a gender, nothing else.
    await page.get_by_role("button", name="Saya bukan anggota").click()
    await expect(page.get_by_role("heading", name="Berapa umur Anda?")).to_be_visible()
    await screenshots(page, "kiosk-category")
    await page.get_by_role("button", name="Lansia").click()
    await screenshots(page, "kiosk-gender")
    await page.get_by_role("button", name="Laki-laki").click()
    await expect(page.locator("#k-thanks")).to_have_text("Terima kasih! Selamat membaca.")
    await expect(page.locator("#k-tally")).to_have_text("Pengunjung hari ini: 2")

    # The connection drops: the next visitor is thanked all the same and kept on the tablet, then sent once
    # the connection is back (with the day of the visit and its own Idempotency-Key).
    await page.context.set_offline(True)
    await page.get_by_role("button", name="Pengunjung berikutnya").click()
    await page.get_by_role("button", name="Saya bukan anggota").click()
    await page.get_by_role("button", name="Anak").click()
    await page.get_by_role("button", name="Perempuan").click()
    await expect(page.locator("#k-thanks")).to_have_text("Terima kasih! Selamat membaca.")
    await expect(page.locator("#k-tally")).to_have_text("1 kunjungan menunggu koneksi")
    await page.get_by_role("button", name="Pengunjung berikutnya").click()
    await page.context.set_offline(False)
    await expect(page.locator("#k-tally")).to_have_text("Pengunjung hari ini: 3", timeout=20_000)
    assert await page.evaluate("localStorage.getItem('pustaka.kiosk.waiting')") == "[]"

    # A visitor touching "Keluar" is asked first; dismissed, the kiosk stays logged in.
    page.once("dialog", lambda dialog: dialog.dismiss())
    await page.get_by_role("button", name="Keluar").click()
    await expect(page.get_by_role("heading", name="Selamat datang! Silakan isi buku tamu.")).to_be_visible()
    # The tablet stays logged in across a reload.
    await page.reload()
    await expect(page.get_by_role("heading", name="Selamat datang! Silakan isi buku tamu.")).to_be_visible()
    await expect(page.locator("#k-tally")).to_have_text("Pengunjung hari ini: 3")
    assert page.js_errors == []
    # A visitor who types another desk address on the tablet finds a login form, not the member list.
    await page.goto("/desk/anggota")
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_visible()
    await expect(page.locator("#member-list")).to_be_hidden()

    async with magetan.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT member_visits, non_member_visits, by_category::text, by_gender::text "
            "FROM circulation.visit_days WHERE library_code = $1",
            GONGGANG,
        )
    assert dict(row) == {
        "member_visits": 1,
        "non_member_visits": 2,
        "by_category": '{"anak": 1, "lansia": 1, "remaja": 1}',
        "by_gender": '{"L": 1, "P": 2}',
    }
    async with httpx.AsyncClient(base_url=server) as http:
        group = await day_stats(http, magetan)
    assert {k: group["indicators"][k] for k in ("visits", "member_visits", "non_member_visits")} == {
        "visits": 3,
        "member_visits": 1,
        "non_member_visits": 2,
    }
    assert (group["breakdowns"]["category"]["remaja"]["visits"], group["breakdowns"]["gender"]["P"]["visits"]) == (1, 2)


async def test_the_member_list_edits_suspends_renews_imports_and_prints_cards(
    magetan, server, new_page, tmp_path, clock
):
    clock.set(dt.date(2026, 11, 25))  # registered until 2029-11-25, renewed by three years from then
    await make_user(magetan, "sri", "librarian", GONGGANG)
    async with httpx.AsyncClient(base_url=server) as http:
        desk = await token_for(http, magetan, "sri-api", "librarian", GONGGANG)
        number = await member(http, desk, "Budi Santoso", 1980, "L")
        await member(http, desk, "Siti Aminah", 1990, "P")

    page = await new_page("/desk/anggota")
    await log_in(page, "sri")
    await expect(page.locator("#member-list li")).to_have_count(2)
    await expect(page.get_by_role("link", name="Pemustaka & kartu", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    await page.get_by_label("Cari nama atau nomor anggota").fill("budi")
    await page.get_by_role("button", name="Cari", exact=True).click()
    budi = page.locator("#member-list li").filter(has_text=number)
    await expect(page.locator("#member-list > li")).to_have_count(1)

    await budi.get_by_role("button", name="Ubah").click()
    await budi.get_by_label("Nama lengkap").fill("Budi Santosa")
    await budi.get_by_label("Kontak (HP/alamat, boleh kosong)").fill("0812-3456-7890")
    await budi.get_by_role("button", name="Simpan").click()
    await expect(page.locator("#list-msg")).to_have_text("Data Budi Santosa disimpan.")

    await budi.get_by_role("button", name="Bekukan").click()
    await budi.get_by_label("Alasan pembekuan").fill("buku belum kembali")
    await budi.get_by_role("button", name="Bekukan keanggotaan").click()
    await expect(page.locator("#list-msg")).to_have_text("Keanggotaan Budi Santosa dibekukan.")
    await expect(budi.locator(".tag")).to_have_text("dibekukan")
    await screenshots(page, "desk-members")
    await budi.get_by_role("button", name="Pulihkan").click()
    await expect(page.locator("#list-msg")).to_have_text("Keanggotaan Budi Santosa dipulihkan.")
    await budi.get_by_role("button", name="Perpanjang 3 tahun").click()
    await expect(page.locator("#list-msg")).to_contain_text("Keanggotaan Budi Santosa diperpanjang sampai")

    async with page.expect_download() as download:
        await budi.get_by_role("button", name="Kartu").click()
    card = await (await download.value).path()
    assert open(card, "rb").read(4) == b"%PDF"
    await expect(page.locator("#list-msg")).to_contain_text("Kartu siap: berkas PDF sudah diunduh.")

    # Import a member list: the valid rows become members, the wrong one is shown with its reason in words,
    # and the new members' cards are one click away.
    listing = tmp_path / "anggota-baru.csv"
    listing.write_bytes(
        "Nama;Tahun Lahir;Jenis Kelamin\nAni Rahayu;2016;P\nBayu;20x6;L\nCahyo;1975;L\n".encode("cp1252")
    )
    await page.get_by_label("Berkas daftar anggota").set_input_files(str(listing))
    await page.get_by_role("button", name="Impor", exact=True).click()
    await expect(page.locator("#import-msg")).to_have_text("2 dari 3 baris menjadi anggota.")
    await expect(page.locator("#import-report tbody tr")).to_have_count(1)
    await expect(page.locator("#import-report tbody tr")).to_contain_text("Tahun Lahir")
    await expect(page.locator("#import-report tbody tr")).to_contain_text("20x6")
    async with page.expect_download() as sheet:
        await page.get_by_role("button", name="Cetak kartu 2 anggota baru").click()
    assert open(await (await sheet.value).path(), "rb").read(4) == b"%PDF"
    await screenshots(page, "desk-members-import")

    async with magetan.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT name, contact, status, suspended_reason, expires_on "
            "FROM circulation.members WHERE member_number = $1",
            number,
        )
        actions = [
            r["action"]
            for r in await conn.fetch(
                "SELECT action FROM circulation.audit_log WHERE target LIKE 'member:%' AND actor = 'sri' ORDER BY id"
            )
        ]
    assert (row["name"], row["contact"], row["status"], row["suspended_reason"]) == (
        "Budi Santosa",
        "0812-3456-7890",
        "active",
        None,
    )
    assert row["expires_on"] == dt.date(2032, 11, 25)
    assert actions == [
        "member_updated",
        "member_suspended",
        "member_reinstated",
        "membership_renewed",
        "member_registered",
        "member_registered",
    ]
    assert page.js_errors == []


async def test_a_hold_is_placed_with_the_queue_and_names_and_cancelled(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    await wait_until_searchable(server, "laskar", GONGGANG)
    await make_user(magetan, "sri", "librarian", GONGGANG)
    async with httpx.AsyncClient(base_url=server) as http:
        desk = await token_for(http, magetan, "sri-api", "librarian", GONGGANG)
        number = await member(http, desk, "Dewi Lestari", 2001, "P")

    page = await new_page("/desk/pesanan")
    await log_in(page, "sri")
    await page.get_by_label("Nomor anggota (pindai kartu atau ketik)").fill(number)
    await page.get_by_label("Judul, pengarang atau ISBN").fill("laskar pelangi")
    await page.get_by_role("button", name="Cari judul").click()
    await page.locator("#title-hits li").first.get_by_role("button", name="Pesan untuk anggota ini").click()
    await expect(page.locator("#place-msg")).to_contain_text("Pesanan dicatat:")
    queued = page.locator("#queue > li").first
    await expect(queued).to_contain_text("Dewi Lestari")
    await expect(queued).to_contain_text(number)
    await screenshots(page, "desk-holds")
    await queued.get_by_role("button", name=re.compile("^Batalkan")).click()
    await expect(page.locator("#queue-msg")).to_contain_text("Pesanan Dewi Lestari untuk")
    await expect(page.locator("#queue")).to_contain_text("Tidak ada pesanan yang terbuka.")
    async with magetan.acquire() as conn:
        statuses = [r["status"] for r in await conn.fetch("SELECT status FROM circulation.holds")]
    assert statuses == ["closed-cancelled"]
    assert page.js_errors == []


async def test_a_copy_is_marked_damaged_with_its_reason_and_repaired(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    book = (await barcodes_of(magetan, GONGGANG))[0]
    await make_user(magetan, "sri", "librarian", GONGGANG)

    page = await new_page("/desk/eksemplar")
    await log_in(page, "sri")
    await page.get_by_label("Barcode buku (pindai atau ketik, lalu Enter)").fill(book)
    await page.keyboard.press("Enter")
    await expect(page.locator("#copy-card .tag")).to_have_text("di rak")
    await page.get_by_role("button", name="Catat rusak").click()
    await page.get_by_label("Kerusakannya (mis. sampul sobek, halaman hilang)").fill("sampul sobek")
    await page.get_by_role("button", name="Simpan sebagai rusak").click()
    await expect(page.locator("#copy-msg")).to_contain_text("Tercatat rusak:")
    await expect(page.locator("#copy-card .tag")).to_have_text("rusak")
    await expect(page.locator("#aside li")).to_contain_text("sampul sobek")
    await screenshots(page, "desk-copies")
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM circulation.copies WHERE barcode = $1", book) == "damaged"
        assert (
            await conn.fetchval("SELECT detail->>'reason' FROM circulation.events WHERE type = 'item_damaged'")
            == "sampul sobek"
        )
    await page.locator("#aside li").get_by_role("button", name="Sudah diperbaiki").click()
    await expect(page.locator("#copy-msg")).to_contain_text("Sudah diperbaiki dan kembali ke rak:")
    await expect(page.locator("#aside")).to_contain_text("Tidak ada buku yang tercatat hilang atau rusak.")
    assert page.js_errors == []


async def test_the_visits_tally_is_added_and_corrected(magetan, server, new_page):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/kunjungan")
    await log_in(page, "sri")
    form = page.locator("#add-form")
    await form.get_by_label("Pengunjung anggota").fill("3")
    await form.get_by_label("Pengunjung bukan anggota").fill("2")
    await form.get_by_label("Anak").fill("4")
    await form.get_by_label("Dewasa").fill("1")
    await form.get_by_label("Laki-laki").fill("2")
    await form.get_by_label("Perempuan").fill("2")
    await form.get_by_role("button", name="Tambahkan").click()
    await expect(page.locator("#add-msg")).to_have_text(
        "Rincian menurut jenis kelamin berjumlah 4, padahal jumlahnya 5."
    )
    await form.get_by_label("Perempuan").fill("3")
    await form.get_by_role("button", name="Tambahkan").click()
    await expect(page.locator("#add-msg")).to_contain_text("5 pengunjung ditambahkan")
    await expect(page.locator("#today-kpis .kpi").first).to_contain_text("5")

    await page.locator("#days tbody tr").first.get_by_role("button", name="Koreksi").click()
    fix = page.locator("#fix-form")
    await fix.get_by_label("Pengunjung bukan anggota").fill("1")
    await fix.get_by_label("Anak").fill("3")
    await fix.get_by_label("Perempuan").fill("2")
    await fix.get_by_role("button", name="Simpan koreksi").click()
    await expect(page.locator("#days-msg")).to_contain_text("dikoreksi menjadi 4 pengunjung")
    await expect(page.locator("#days tbody tr").first).to_contain_text("Anak 3, Dewasa 1; Laki-laki 2, Perempuan 2")
    await screenshots(page, "desk-visits")
    async with httpx.AsyncClient(base_url=server) as http:
        group = await day_stats(http, magetan)
    assert {k: group["indicators"][k] for k in ("visits", "member_visits", "non_member_visits")} == {
        "visits": 4,
        "member_visits": 3,
        "non_member_visits": 1,
    }
    assert group["breakdowns"]["category"]["anak"]["visits"] == 3
    assert page.js_errors == []


async def test_books_read_on_the_spot_and_an_activity_reach_the_statistics(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    first, second = (await barcodes_of(magetan, GONGGANG))[:2]
    await make_user(magetan, "sri", "librarian", GONGGANG)

    page = await new_page("/desk/baca")
    await log_in(page, "sri")
    scan = page.get_by_label("Barcode buku (pindai atau ketik, lalu Enter)")
    for barcode in (first, second):
        await scan.fill(barcode)
        await scan.press("Enter")
        await expect(page.locator("#read-msg")).to_contain_text("Tercatat dibaca di tempat:")
    await expect(page.locator("#read-count")).to_have_text("2")
    await expect(page.locator("#reads tbody tr")).to_have_count(2)
    await screenshots(page, "desk-reads")

    await page.get_by_role("link", name="Kegiatan", exact=True).click()
    await page.get_by_label("Nama kegiatan").fill("Dongeng Sabtu pagi")
    await page.get_by_label("Jenis kegiatan").select_option("bercerita")
    await page.get_by_label("Anak").fill("6")
    await page.get_by_label("Remaja").fill("2")
    await page.get_by_label("Laki-laki").fill("3")
    await page.get_by_label("Perempuan").fill("5")
    await expect(page.locator("#act-total")).to_have_text("8")
    await page.get_by_role("button", name="Simpan kegiatan").click()
    await expect(page.locator("#act-msg")).to_have_text("Kegiatan dicatat: Dongeng Sabtu pagi, 8 peserta.")
    await expect(page.locator("#act-list li").first).to_contain_text("Bercerita / dongeng")
    await screenshots(page, "desk-activities")
    assert page.js_errors == []

    async with httpx.AsyncClient(base_url=server) as http:
        group = await day_stats(http, magetan)
    assert {k: group["indicators"][k] for k in ("reads_onsite", "activities", "activity_participants")} == {
        "reads_onsite": 2,
        "activities": 1,
        "activity_participants": 8,
    }


async def test_every_desk_page_has_the_desk_navigation(magetan, server, new_page):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/")
    await log_in(page, "sri")
    await expect(page.locator("#logout")).to_be_visible()  # logged in before leaving the page
    nav = page.locator("#desk-nav")
    await expect(nav.get_by_role("link", name="Meja layanan", exact=True)).to_have_attribute("aria-current", "page")
    await nav.get_by_role("link", name="Buku tamu", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/desk/kunjungan$"))
    await expect(page.get_by_role("heading", name="Pengunjung hari ini")).to_be_visible()  # same session
    await expect(nav.get_by_role("link", name="Buku tamu", exact=True)).to_have_attribute("aria-current", "page")
    await page.get_by_role("button", name="English").click()
    await expect(nav.get_by_role("link", name="Guest book", exact=True)).to_be_visible()
    await page.get_by_role("button", name="Bahasa Indonesia").click()
    assert page.js_errors == []
