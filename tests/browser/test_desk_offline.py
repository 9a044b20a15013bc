"""The desk through a dropped connection, and the safety of every scan: a failed member lookup never lends
to the member chosen before; scans made offline wait on the device (also across a reload) and reach the
server once each, in scan order; what the server refuses later lands in a list the librarian resolves."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.browser.test_desk import CIRC, barcodes_of, scan
from tests.browser.test_opac import GONGGANG, ingest_clean_manifest
from tests.support import make_user, token_for

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


async def until(page, predicate: str, seconds: float = 15) -> None:
    """Wait until a predicate holds in the page. Playwright's wait_for_function evaluates a string with eval,
    which the pages' Content-Security-Policy forbids; page.evaluate runs outside the page's policy."""
    for _ in range(int(seconds / 0.1)):
        if await page.evaluate(predicate):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"still false after {seconds} s: {predicate}")


def tanggal(iso: str) -> str:
    """A date as the desk writes it in Indonesian: 7 Des 2026."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


async def members_of(server: str, pool, *names: str) -> tuple[dict, list[str]]:
    async with httpx.AsyncClient(base_url=server) as http:
        headers = await token_for(http, pool, "kantor", "librarian", GONGGANG)
        numbers = []
        for name in names:
            answer = await http.post(
                f"{CIRC}/members",
                headers=headers,
                json={"name": name, "library": GONGGANG, "birth_year": 1988, "gender": "P"},
            )
            assert answer.status_code == 201, answer.text
            numbers.append(answer.json()["member_number"])
    return headers, numbers


async def loans_in_db(pool) -> list[tuple[str, str, str]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT l.barcode, m.member_number, l.status FROM circulation.loans l "
            "JOIN circulation.members m ON m.id = l.member_id ORDER BY l.id"
        )
    return [(r["barcode"], r["member_number"], r["status"]) for r in rows]


async def choose_member(page, text: str) -> None:
    field = page.get_by_label("Anggota: nomor kartu atau nama")
    await field.fill(text)
    await field.press("Enter")


async def test_a_failed_member_lookup_never_lends_to_the_member_chosen_before(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    books = (await barcodes_of(magetan, GONGGANG))[:4]
    await make_user(magetan, "sri", "librarian", GONGGANG)
    _, (dewi, rina) = await members_of(server, magetan, "Dewi Lestari", "Rina Wulandari")
    typo = dewi[:-1] + str((int(dewi[-1]) + 1) % 10)  # the next card number, which nobody has

    page = await new_page("/desk/")
    await log_in(page, "sri")
    await choose_member(page, dewi)
    await expect(page.locator("#member-card")).to_contain_text("Dewi Lestari")
    # Another number is typed: not found. Nobody is selected any more, and the next scan lends nothing.
    await choose_member(page, typo)
    await expect(page.locator("#desk-msg")).to_have_text(
        f"Nomor anggota {typo} tidak ditemukan. Tidak ada anggota yang dipilih."
    )
    await expect(page.locator("#member-card")).to_have_text(
        "Belum ada anggota yang dipilih: buku tidak bisa dipinjamkan."
    )
    await scan(page, books[0])
    await expect(page.locator("#desk-msg")).to_have_text(
        "Pilih anggota dulu (nomor kartu atau nama), lalu pindai bukunya."
    )
    await screenshots(page, "desk-wrong-patron")
    assert await loans_in_db(magetan) == []

    # Editing the member field deselects too: the field and the card never disagree about the borrower.
    await choose_member(page, dewi)
    await expect(page.locator("#member-card")).to_contain_text("Dewi Lestari")
    await page.get_by_label("Anggota: nomor kartu atau nama").fill(dewi[:-1])
    await expect(page.locator("#member-card")).to_have_text(
        "Belum ada anggota yang dipilih: buku tidak bisa dipinjamkan."
    )
    await scan(page, books[0])
    await expect(page.locator("#desk-msg")).to_contain_text("Pilih anggota dulu")
    assert await loans_in_db(magetan) == []

    # The right member, by name; three books scanned as fast as a scanner types: none is dropped, and every
    # answer names the title and the member.
    await choose_member(page, "rina")
    await expect(page.locator("#member-card")).to_contain_text(rina)
    for book in books[1:]:
        await page.locator("#barcode").fill(book)
        await page.locator("#barcode").press("Enter")
    await expect(page.locator("#member-card")).to_contain_text("Sedang dipinjam (3)")
    await expect(page.locator("#desk-msg")).to_contain_text(f"— oleh Rina Wulandari ({rina}). Kembalikan paling lambat")
    assert await loans_in_db(magetan) == [(b, rina, "open") for b in books[1:]]
    await expect(page.locator("#today-table tbody tr", has_text="berhasil")).to_have_count(3)
    await expect(page.locator("#day-summary [data-figure=loans] b")).to_have_text("3")
    await screenshots(page, "desk-today-server")
    assert not page.js_errors


async def test_scans_made_offline_survive_a_reload_and_reach_the_server_once_each(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    books = (await barcodes_of(magetan, GONGGANG))[:5]
    await make_user(magetan, "sri", "librarian", GONGGANG)
    _, (ayu,) = await members_of(server, magetan, "Ayu Kartika")

    page = await new_page("/desk/")
    await log_in(page, "sri")
    await until(page, "() => navigator.serviceWorker.controller !== null")
    await until(page, f"() => localStorage.getItem('pustaka.prefetched.{GONGGANG}') !== null")
    await choose_member(page, ayu)
    await expect(page.locator("#member-card")).to_contain_text("Ayu Kartika")

    await page.context.set_offline(True)
    for book in books:
        await scan(page, book)
        await expect(page.locator("#desk-msg")).to_contain_text(f"untuk Ayu Kartika ({ayu})")
    await page.get_by_role("radio", name="Kembali").check()
    for book in books[:3]:
        await scan(page, book)
        await expect(page.locator("#desk-msg")).to_contain_text("Tersimpan, menunggu koneksi: pengembalian")
    await expect(page.locator("#offline")).to_be_visible()
    await expect(page.locator("#queue-list li")).to_have_count(8)

    # The page is reloaded with no network: the desk loads from the service worker, the queue is still there,
    # in scan order, and a member is chosen from what this device has seen.
    await page.reload()
    await expect(page.locator("#queue-list li")).to_have_count(8)
    queued = await page.locator("#queue-list li").all_inner_texts()
    assert [q.split(" · ")[0] for q in queued] == ["Pinjam"] * 5 + ["Kembali"] * 3
    assert all(book in text for book, text in zip(books + books[:3], queued))
    # A card number this device has never seen: the librarian must confirm it, and the card says so.
    stranger = ayu[:-1] + str((int(ayu[-1]) + 1) % 10)
    await choose_member(page, stranger)
    await expect(page.locator("#desk-msg")).to_contain_text(f"Nomor {stranger} belum pernah dilihat di perangkat ini")
    await page.get_by_role("button", name="Pakai nomor ini (server memeriksa saat terkirim)").click()
    await expect(page.locator("#member-card")).to_contain_text("Nama belum dicek")
    await choose_member(page, ayu)
    await expect(page.locator("#member-card")).to_contain_text("Dari simpanan perangkat ini")
    await screenshots(page, "desk-offline-queue")
    assert await loans_in_db(magetan) == []

    await page.context.set_offline(False)
    await expect(page.locator("#desk-msg")).to_have_text("8 pindaian yang menunggu sudah terkirim dan tercatat.")
    await expect(page.locator("#queue-panel")).to_be_hidden()
    await expect(page.locator("#offline")).to_be_hidden()
    assert await loans_in_db(magetan) == [(b, ayu, "closed") for b in books[:3]] + [(b, ayu, "open") for b in books[3:]]
    async with magetan.acquire() as conn:
        events = await conn.fetch(
            "SELECT type, barcode FROM circulation.events WHERE type IN ('checked_out', 'checked_in') ORDER BY id"
        )
    assert [(e["type"], e["barcode"]) for e in events] == (
        [("checked_out", b) for b in books] + [("checked_in", b) for b in books[:3]]
    )
    await expect(page.locator("#today-table tbody tr", has_text="berhasil")).to_have_count(8)
    await screenshots(page, "desk-back-online")
    assert not page.js_errors


async def test_a_copy_lent_meanwhile_by_another_desk_lands_in_the_conflict_list(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    book, other = (await barcodes_of(magetan, GONGGANG))[:2]
    await make_user(magetan, "sri", "librarian", GONGGANG)
    headers, (tuti, bayu) = await members_of(server, magetan, "Tuti Handayani", "Bayu Saputra")

    page = await new_page("/desk/")
    await log_in(page, "sri")
    await until(page, f"() => localStorage.getItem('pustaka.prefetched.{GONGGANG}') !== null")
    await page.context.set_offline(True)
    # Offline, the member is found by name among the members this device keeps.
    await choose_member(page, "tuti")
    await expect(page.locator("#member-card")).to_contain_text(tuti)
    await scan(page, book)
    await scan(page, other)
    await expect(page.locator("#queue-list li")).to_have_count(2)

    # Meanwhile the other desk lends the first copy to Bayu.
    async with httpx.AsyncClient(base_url=server) as http:
        lent = await http.post(f"{CIRC}/loans", headers=headers, json={"item_barcode": book, "member_number": bayu})
        assert lent.status_code == 201, lent.text
    due = lent.json()["due_date"]

    await page.context.set_offline(False)
    conflict = page.locator("#conflicts-list li")
    await expect(conflict).to_have_count(1)
    await expect(conflict).to_contain_text(book)
    await expect(conflict).to_contain_text(f"Tuti Handayani ({tuti})")
    await expect(conflict.locator(".msg")).to_have_text(f"Buku ini dipinjam oleh anggota lain sampai {tanggal(due)}.")
    await expect(page.locator("#desk-msg")).to_contain_text("1 pindaian yang menunggu sudah terkirim dan tercatat.")
    await expect(page.locator("#desk-msg")).to_contain_text("1 pindaian ditolak server.")
    # Today's transactions of the whole library: this desk's loan and the other desk's.
    await expect(page.locator("#day-summary [data-figure=loans] b")).to_have_text("2")
    await expect(page.locator("#today-table tbody tr", has_text="Bayu Saputra")).to_contain_text("berhasil")
    await screenshots(page, "desk-conflict")
    assert await loans_in_db(magetan) == [(book, bayu, "open"), (other, tuti, "open")]

    # It stays until the librarian resolves it, also across a reload.
    await page.reload()
    await expect(conflict).to_have_count(1)
    await conflict.get_by_role("button", name="Sudah diurus").click()
    await expect(page.locator("#conflicts-panel")).to_be_hidden()
    assert await loans_in_db(magetan) == [(book, bayu, "open"), (other, tuti, "open")]

    # Logging out leaves no member's name on the device.
    assert await members_kept(page) > 0
    await page.get_by_role("button", name="Keluar").click()
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_visible()
    await page.wait_for_timeout(200)
    assert await members_kept(page) == 0
    assert not page.js_errors


async def members_kept(page) -> int:
    """How many members the desk keeps in this browser's IndexedDB."""
    return await page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open("pustaka-desk");
        open.onsuccess = () => {
            const count = open.result.transaction("members").objectStore("members").count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
        };
    })""")


async def test_a_copy_of_another_library_is_refused_with_that_library_s_name(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG)
    book = (await barcodes_of(magetan, GONGGANG))[0]
    await make_user(magetan, "joko", "librarian", "35.20.01.2008")
    page = await new_page("/desk/")
    await log_in(page, "joko")
    await page.get_by_role("radio", name="Kembali").check()
    await scan(page, book)
    await expect(page.locator("#desk-msg")).to_have_text(
        "Buku ini milik Perpustakaan Desa Gonggang, bukan perpustakaan ini. Pinjam dan kembalikan di sana."
    )
    await expect(page.locator("#today-table tbody tr").first).to_contain_text("ditolak")
    await screenshots(page, "desk-other-library")
    assert not page.js_errors
