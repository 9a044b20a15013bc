"""Every staff page beside the loan desk wears the same shell (services/web/static/deskpage.js): a skip link
first, the login form, for a district officer the choice among the district's 38 libraries, who is logged
in, the language switch and logging out. A district officer of Kabupaten Magetan walks all nine pages."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.support import make_user

PAGES = {
    "anggota": "Daftar anggota",
    "pesanan": "Pesanan buku",
    "eksemplar": "Buku hilang & rusak",
    "kunjungan": "Buku tamu",
    "baca": "Baca di tempat",
    "kegiatan": "Kegiatan",
    "katalog": "← Meja layanan · Perawatan katalog",
    "stok-opname": "← Meja layanan · Stock opname",
    "kiosk": "Buku tamu perpustakaan",  # last: the kiosk keeps its login to itself, other pages ask again
}
SOMBO = "Perpustakaan Desa Sombo (Poncol)"  # the kecamatan is named: two villages are called Banjarejo


async def shows_the_shell(page, name: str) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text(PAGES[name])
    await expect(page.locator("a, button, input, select, textarea").first).to_have_text("Langsung ke isi")
    await expect(page.locator("#who")).to_have_text("dinas-magetan (dinas)")
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_hidden()
    chooser = page.get_by_label("Perpustakaan", exact=True)
    await expect(chooser.locator("option")).to_have_count(38)
    await expect(chooser.locator("option", has_text=SOMBO)).to_have_count(1)
    await screenshots(page, f"staff-shell-{name}")


async def test_a_district_officer_finds_the_same_login_and_library_choice_on_every_staff_page(
    magetan, server, new_page
):
    await make_user(magetan, "dinas-magetan", "district", "35.20")
    page = await new_page("/desk/anggota")
    await expect(page.get_by_role("heading", name="Masuk sebagai pustakawan")).to_be_visible()
    await expect(page.locator("#page-view")).to_be_hidden()
    await screenshots(page, "staff-shell-login")
    await log_in(page, "dinas-magetan")
    await expect(page.locator("#logout")).to_be_visible()  # logged in before leaving the page
    for name in list(PAGES)[:-1]:
        await page.goto(f"/desk/{name}")
        await shows_the_shell(page, name)

    # The library chosen on one page is the one the next page serves; the language follows too.
    await page.get_by_label("Perpustakaan", exact=True).select_option(label=SOMBO)
    await page.get_by_role("button", name="English").click()
    await expect(page.locator("#who")).to_have_text("dinas-magetan (district)")
    await page.goto("/desk/katalog")
    await expect(page.get_by_label("Library", exact=True)).to_have_value("35.20.01.2008")
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("heading", name="Log in as a librarian")).to_be_visible()
    await expect(page.locator("#login-msg")).to_have_text("You have logged out.")
    await expect(page.locator("#page-view")).to_be_hidden()
    await page.get_by_role("button", name="Bahasa Indonesia").click()

    await page.goto("/desk/kiosk")
    await log_in(page, "dinas-magetan")
    await shows_the_shell(page, "kiosk")
    assert page.js_errors == []
