"""A patron finds a book in the public catalogue: a typo, filters with facet counts, a shareable address,
and a title page with the call number and availability in every library that holds it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx
from playwright.async_api import expect

from pustaka.seeding import seeds_dir
from services.catalog.ingest import ingest_package
from tests.browser.conftest import screenshots

GONGGANG, SOMBO = "35.20.01.2002", "35.20.01.2008"
LASKAR = "9789793062792"


async def ingest_clean_manifest(pool, *libraries: str) -> None:
    data = (seeds_dir() / "examples" / "manifest-bersih.xlsx").read_bytes()
    async with pool.acquire() as conn:
        for library in libraries:
            await ingest_package(conn, library=library, data=data, source_name="manifest-bersih.xlsx", actor="test")


async def wait_until_searchable(server: str, q: str, library: str) -> dict:
    """The indexer drains the outbox in the background; wait until the library's books are found."""
    async with httpx.AsyncClient(base_url=server) as http:
        for _ in range(100):
            answer = (await http.get("/api/catalog/v1/search", params={"q": q, "library": library})).json()
            if answer["total"]:
                return answer
            await __import__("asyncio").sleep(0.1)
    raise AssertionError(f"'{q}' never became searchable in {library}")


async def test_a_patron_finds_a_book_with_a_typo_and_filters(magetan, server, new_page):
    await ingest_clean_manifest(magetan, GONGGANG, SOMBO)
    await wait_until_searchable(server, "laskar", GONGGANG)
    await wait_until_searchable(server, "laskar", SOMBO)

    page = await new_page("/")
    await expect(page.locator("html")).to_have_attribute("lang", "id")
    await expect(page.get_by_role("heading", name="Cari buku di perpustakaan desa")).to_be_visible()
    box = page.get_by_label("Judul, pengarang, topik atau ISBN")
    await box.press_sequentially("laskar pelngi", delay=30)  # one letter missing: still found, as you type
    first = page.locator("#hits li").first
    await expect(first.locator(".title")).to_contain_text("Laskar Pelangi")
    await expect(first.locator(".title mark").first).to_be_visible()  # the matched words are highlighted
    await expect(page.get_by_role("status")).to_contain_text("buku ditemukan")
    await expect(page).to_have_url(re.compile(r"q=laskar\+pelngi"))  # the address follows the last keystroke
    # All libraries: one hit per title, with the other libraries that hold it.
    await expect(page.locator("#hits li .title", has_text=re.compile(r"^Laskar Pelangi"))).to_have_count(1)
    await expect(first.locator(".holdings")).to_contain_text("Juga ada di")

    # My library: only Gonggang's copies; the choice goes into the address and is remembered.
    await page.get_by_label("Perpustakaan saya").select_option(GONGGANG)
    await expect(page.locator("#hits li .meta", has_text="Sombo")).to_have_count(0)
    await expect(page.locator("#hits li .meta", has_text="Gonggang").first).to_be_visible()
    # On the shelf now, with its facet count from the API.
    async with httpx.AsyncClient(base_url=server) as http:
        api = (await http.get("/api/catalog/v1/search", params={"q": "laskar pelngi", "library": GONGGANG})).json()
    on_shelf = api["facets"]["available"].get("true", 0)
    await expect(page.locator("#available-count")).to_have_text(f"({on_shelf})")
    await page.get_by_label(re.compile("Ada di rak sekarang")).check()
    await expect(page.locator("#hits li .shelf").first).to_contain_text("ada di rak")
    # Language facet with its count: Indonesian books only.
    await page.get_by_text("Saring: sasaran, kategori, bahasa").click()
    indonesian = page.locator("#facet-language label", has_text="Indonesia")
    await expect(indonesian).to_contain_text(f"({api['facets']['language']['ind']})")
    await indonesian.locator("input").check()
    await expect(page.locator("#facet-language button", has_text="Hapus saringan")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": ["laskar pelngi"], "library": [GONGGANG], "available": ["true"], "language": ["ind"]}
    await screenshots(page, "opac-search")

    # The address is shareable: another phone opening it sees the same search.
    shared = await new_page(page.url.replace(server, ""))
    await expect(shared.get_by_label("Judul, pengarang, topik atau ISBN")).to_have_value("laskar pelngi")
    await expect(shared.get_by_label("Ada di rak sekarang")).to_be_checked()
    await expect(shared.locator("#hits li .title").first).to_contain_text("Laskar Pelangi")

    # The title page: call number and availability in every library that holds it.
    await page.locator("#hits li .title a", has_text="Laskar Pelangi").first.click()
    await expect(page).to_have_url(re.compile(f"/judul/{LASKAR}$"))
    await expect(page.get_by_role("heading", level=2)).to_contain_text("Laskar Pelangi")
    rows = page.locator("table.holdings tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_contain_text("Gonggang")  # my library comes first
    await expect(rows.first).to_contain_text("perpustakaan Anda")
    await expect(rows.first.locator(".callno")).to_have_text(re.compile(r"^\S+ HIR l$"))
    await expect(page.locator("table.holdings")).to_contain_text("Sombo")
    await screenshots(page, "opac-title")
    await page.go_back()
    await expect(page.locator("#hits li").first).to_be_visible()
    # Back to all libraries: the library chosen before (Gonggang) comes first among a title's holdings.
    await page.get_by_label("Perpustakaan saya").select_option("")
    laskar = page.locator("#hits li", has=page.locator(".title", has_text=re.compile(r"^Laskar Pelangi")))
    await expect(laskar.locator(".meta").nth(1)).to_contain_text("Gonggang")
    await expect(laskar.locator(".holdings")).to_contain_text("Sombo")

    # English by a switch; the title page address works on its own.
    direct = await new_page(f"/judul/{LASKAR}")
    await direct.get_by_role("button", name="English").click()
    await expect(direct.locator("html")).to_have_attribute("lang", "en")
    await expect(direct.get_by_role("columnheader", name="Call number")).to_be_visible()
    await expect(direct.locator("table.holdings tbody tr").first).to_contain_text("copies on the shelf")
    assert not page.js_errors and not shared.js_errors and not direct.js_errors


async def test_the_catalogue_pages_are_light(http):
    """Under 200 KB before data: every page with all its scripts and styles."""
    pages = {
        "/": ["/static/common.js", "/static/opac.js", "/static/opac.css"],
        "/desk/": ["/static/common.js", "/static/desk.js", "/static/ingest.js", "/static/opac.css"],
        "/dashboard/": ["/static/common.js", "/static/dashboard.js", "/static/opac.css"],
    }
    for path, assets in pages.items():
        html = await http.get(path)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        weight = len(html.content)
        for asset in assets:
            assert asset in html.text
            answer = await http.get(asset)
            assert answer.status_code == 200
            weight += len(answer.content)
        assert weight < 200 * 1024, (path, weight)


async def test_every_control_has_a_name_and_the_keyboard_reaches_the_search(magetan, new_page):
    """Screen readers: every input, select and button of each page has an accessible name; on the OPAC the
    skip link is the keyboard's first stop and the search box follows; staff pages open in the login form."""
    unnamed_js = """() => [...document.querySelectorAll('input, select, button, textarea')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.textContent.trim() && !el.closest('[hidden]'))
        .map(el => el.outerHTML)"""
    for path in ("/", "/desk/", "/dashboard/"):
        page = await new_page(path)
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate(unnamed_js) == [], path
        assert await page.locator("h1").count() == 1, path
        if path == "/":
            await page.keyboard.press("Tab")
            await expect(page.locator(":focus")).to_have_text("Langsung ke isi")
        else:  # a staff page opens with the cursor in the login form
            await expect(page.get_by_label("Nama pengguna")).to_be_focused()
    opac = await new_page("/")
    for _ in range(4):  # skip link, home, language switch, search box
        await opac.keyboard.press("Tab")
    await expect(opac.get_by_label("Judul, pengarang, topik atau ISBN")).to_be_focused()
