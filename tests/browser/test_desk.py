"""A librarian at the circulation desk: logs in, registers a member, checks a book out and in by typing its
barcode and Enter (as a USB scanner does), reads refusals in Indonesian, and loses the connection without
a loan being recorded twice."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.browser.test_opac import GONGGANG, ingest_clean_manifest
from tests.support import make_user, token_for

CIRC = "/api/circulation/v1"


async def barcodes_of(pool, library: str) -> list[str]:
    async with pool.acquire() as conn:
        return [
            r["barcode"]
            for r in await conn.fetch(
                "SELECT barcode FROM catalog.items WHERE library_code = $1 ORDER BY barcode", library
            )
        ]


async def scan(page, barcode: str) -> None:
    """Type the digits into the barcode field and press Enter, as a USB scanner does (once the page that
    holds the field has loaded: a scanner's keystrokes during a page load are lost)."""
    await page.wait_for_load_state("load")
    await expect(page.locator("#barcode")).to_be_editable()
    await page.locator("#barcode").focus()  # labelled in the current language
    await page.keyboard.type(barcode, delay=5)
    await page.keyboard.press("Enter")


async def test_a_librarian_checks_out_and_in_by_barcode_and_reads_refusals(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    book, other = (await barcodes_of(magetan, GONGGANG))[:2]
    await make_user(magetan, "sri", "librarian", GONGGANG)

    page = await new_page("/desk/")
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_visible()
    await screenshots(page, "desk-login")
    await page.get_by_label("Nama pengguna").fill("sri")
    await page.get_by_label("Kata sandi").fill("salah-sandi")
    await page.get_by_role("button", name="Masuk", exact=True).click()
    await expect(page.locator("#login-msg")).to_have_text("Nama pengguna atau kata sandi salah.")
    await log_in(page, "sri")
    await expect(page.get_by_role("link", name="Pinjam & kembali")).to_have_attribute("aria-current", "page")
    assert await page.evaluate("JSON.parse(sessionStorage.getItem('pustaka.session')).role") == "librarian"

    # Register a member at the desk.
    await page.get_by_role("link", name="Anggota").click()
    await page.get_by_label("Nama lengkap").fill("Siti Aminah")
    await page.get_by_label("Tahun lahir").fill("1990")
    await page.get_by_label("Perempuan (P)").check()
    await page.get_by_role("button", name="Daftarkan").click()
    registered = page.locator("#register-msg")
    await expect(registered).to_contain_text("Siti Aminah terdaftar. Nomor anggota: 3520012002-")
    number = re.search(r"(\d{10}-\d+)", await registered.inner_text()).group(1)
    await screenshots(page, "desk-member")

    # A book cannot be lent before a member is chosen.
    await page.get_by_role("link", name="Pinjam & kembali").click()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_have_text(
        "Pilih anggota dulu (nomor kartu atau nama), lalu pindai bukunya."
    )
    # Find the member by name, then check out by barcode + Enter.
    await page.get_by_label("Anggota: nomor kartu atau nama").fill("aminah")
    await page.get_by_label("Anggota: nomor kartu atau nama").press("Enter")
    await expect(page.locator("#member-card")).to_contain_text(number)
    await expect(page.get_by_label("Barcode buku (pindai atau ketik, lalu Enter)")).to_be_focused()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("Dipinjam:")
    await expect(page.locator("#desk-msg")).to_contain_text("Kembalikan paling lambat")
    await expect(page.locator("#member-card")).to_contain_text("Sedang dipinjam (1)")
    # The same copy again: refused, in Indonesian, and logged as refused.
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("Buku ini sudah dipinjam oleh anggota ini sendiri, sampai ")
    await expect(page.locator("#desk-msg")).to_have_class(re.compile(r"\bbad\b"))
    # A mistyped barcode (wrong check digit) and an unknown one are refused in words too.
    await scan(page, book[:-1] + str((int(book[-1]) + 1) % 10))
    await expect(page.locator("#desk-msg")).to_contain_text(re.compile("Barcode (ini tidak dikenal|tidak sah)"))
    await screenshots(page, "desk-checkout")

    # English by a switch: the same refusal in English.
    await page.get_by_role("button", name="English").click()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("This member already has this book, until ")
    await page.get_by_role("button", name="Bahasa Indonesia").click()

    # Renew by barcode: on the loan day nothing would move, so it is refused and uses no renewal; two
    # days before the due date it is renewed; then another member places a hold and it is refused in words.
    await page.get_by_role("radio", name="Perpanjang").check()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("Belum bisa diperpanjang: jatuh temponya tetap ")
    async with magetan.acquire() as conn:
        await conn.execute("UPDATE circulation.loans SET due_date = due_date - 12 WHERE barcode = $1", book)
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("Diperpanjang:")
    await expect(page.locator("#desk-msg")).to_contain_text(f"Siti Aminah ({number})")
    async with httpx.AsyncClient(base_url=server) as http:
        headers = await token_for(http, magetan, "sri-cek", "librarian", GONGGANG)
        isbn13 = (await http.get(f"/api/catalog/v1/items/{book}")).json()["isbn13"]
        waiting = (
            await http.post(
                f"{CIRC}/members",
                headers=headers,
                json={"name": "Rina Wulandari", "library": GONGGANG, "birth_year": 2010, "gender": "P"},
            )
        ).json()
        hold = await http.post(
            f"{CIRC}/holds",
            headers=headers,
            json={"isbn13": isbn13, "member_number": waiting["member_number"], "library": GONGGANG},
        )
        assert hold.status_code == 201, hold.text
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_have_text(
        "Tidak bisa diperpanjang: anggota lain sedang menunggu buku ini."
    )

    # Check in: choose "Kembali", scan, Enter; the desk is told to set the copy aside for the hold.
    await page.get_by_role("radio", name="Kembali").check()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_contain_text("Dikembalikan:")
    await expect(page.locator("#desk-msg")).to_contain_text(
        f"Sisihkan buku ini untuk Rina Wulandari ({waiting['member_number']})"
    )
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_have_text(
        "Buku ini tidak sedang dipinjam, jadi tidak bisa dikembalikan atau diperpanjang."
    )
    # Today's transactions: check out, refusals, check in.
    today = page.locator("#today-table tbody tr")
    await expect(today.first).to_contain_text("ditolak")
    await expect(page.locator("#today-table tbody tr", has_text="berhasil")).to_have_count(3)
    await screenshots(page, "desk-today")

    # Holds waiting for pickup, and the overdue list (none today).
    await page.get_by_role("link", name="Pesanan").click()
    await expect(page.locator("#holds-waiting tbody tr")).to_contain_text(waiting["member_number"])
    await screenshots(page, "desk-holds")
    await page.get_by_role("link", name="Terlambat").click()
    await expect(page.locator("#overdue-list")).to_have_text("Tidak ada pinjaman yang terlambat.")
    await screenshots(page, "desk-overdue")

    # What the API recorded: one loan of that copy, renewed once, closed.
    async with httpx.AsyncClient(base_url=server) as http:
        loans = (await http.get(f"{CIRC}/members/{number}/loans", params={"status": "all"}, headers=headers)).json()
    assert [(lib["item_barcode"], lib["status"], lib["renewals"]) for lib in loans] == [(book, "closed", 1)]
    assert other not in {lib["item_barcode"] for lib in loans}
    assert not page.js_errors


async def test_a_lost_answer_is_retried_with_the_same_key_and_lends_once(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    book = (await barcodes_of(magetan, GONGGANG))[0]
    async with httpx.AsyncClient(base_url=server) as http:
        headers = await token_for(http, magetan, "sri", "librarian", GONGGANG)
        member = (
            await http.post(
                f"{CIRC}/members",
                headers=headers,
                json={"name": "Budi Santoso", "library": GONGGANG, "birth_year": 2012, "gender": "L"},
            )
        ).json()["member_number"]

    page = await new_page("/desk/")
    await log_in(page, "sri")
    await page.get_by_label("Anggota: nomor kartu atau nama").fill(member)
    await page.get_by_label("Anggota: nomor kartu atau nama").press("Enter")
    await expect(page.locator("#member-card")).to_contain_text("Budi Santoso")

    # The first check-out reaches the server and is recorded, but its answer is lost on the way back.
    # Until the link is repaired, every later attempt fails too.
    keys: list[str] = []
    link = {"down": True}

    async def lose_the_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            await route.fetch()  # the server records the loan ...
            await route.abort("connectionreset")  # ... and the librarian never hears of it
        elif link["down"]:
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await page.route("**/api/circulation/v1/loans", lose_the_answer)
    await scan(page, book)
    # The scan is kept on this device with its key, shown as waiting; the banner says so plainly.
    await expect(page.locator("#desk-msg")).to_contain_text("Tersimpan, menunggu koneksi:")
    await expect(page.locator("#desk-msg")).to_contain_text(f"Budi Santoso ({member})")
    await expect(page.locator("#queue-list li")).to_have_count(1)
    await expect(page.locator("#queue-list li")).to_contain_text("menunggu")
    await expect(page.locator("#today-table tbody tr").first).to_contain_text("menunggu")
    await screenshots(page, "desk-waiting")
    link["down"] = False
    await page.get_by_role("button", name="Kirim sekarang").click()
    await expect(page.locator("#desk-msg")).to_contain_text("Dipinjam:")
    await expect(page.locator("#queue-panel")).to_be_hidden()
    assert len(keys) >= 2 and keys[0] and set(keys) == {keys[0]}, keys
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", keys[0])

    async with httpx.AsyncClient(base_url=server) as http:
        loans = (await http.get(f"{CIRC}/members/{member}/loans", params={"status": "all"}, headers=headers)).json()
    assert len(loans) == 1 and loans[0]["item_barcode"] == book and loans[0]["status"] == "open"

    # Going offline altogether: the return waits, and is sent by itself when the connection comes back.
    await page.get_by_role("radio", name="Kembali").check()
    await page.context.set_offline(True)
    await scan(page, book)
    await expect(page.locator("#offline")).to_be_visible()
    await expect(page.locator("#desk-msg")).to_contain_text("Tersimpan, menunggu koneksi: pengembalian")
    await page.context.set_offline(False)
    await expect(page.locator("#desk-msg")).to_contain_text("Dikembalikan:")
    await expect(page.locator("#desk-msg")).to_contain_text(f"dari Budi Santoso ({member})")
    async with httpx.AsyncClient(base_url=server) as http:
        loans = (await http.get(f"{CIRC}/members/{member}/loans", params={"status": "all"}, headers=headers)).json()
    assert [lib["status"] for lib in loans] == ["closed"]


async def test_an_admin_chooses_the_library_of_the_desk_in_english(magetan, server, new_page):
    await make_user(magetan, "root", "admin", None)
    page = await new_page("/desk/#anggota")
    await page.get_by_role("button", name="English").click()
    await page.get_by_label("User name").fill("root")
    await page.get_by_label("Password").fill("rahasia-root")
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_text("root (admin)")).to_be_visible()
    await page.get_by_label("Library").select_option("35.20.01.2008")
    await expect(page.get_by_role("heading", name="Register a new member")).to_be_visible()
    await page.get_by_label("Full name").fill("Wati Lestari")
    await page.get_by_label("Year of birth").fill("1950")
    await page.get_by_label("Female (P)").check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.locator("#register-msg")).to_contain_text(
        "Wati Lestari is registered. Member number: 3520012008-"
    )
    # A wrong year is refused in English, from the API's code.
    await page.get_by_label("Full name").fill("Anak Kecil")
    await page.get_by_label("Year of birth").fill("2099")
    await page.get_by_label("Male (L)").check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.locator("#register-msg")).to_have_text("The birth year is not plausible.")
    # The language choice stays for the next page.
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", name="Register a new member")).to_be_visible()
    assert not page.js_errors
