"""The pages under their Content-Security-Policy: a title full of HTML-special characters is shown exactly as
written (escaped once, highlighted), the desk and dashboard still work, and the browser reports no violation."""

from __future__ import annotations

from playwright.async_api import expect

from services.catalog.ingest import ingest_package
from tests.browser.test_opac import wait_until_searchable
from tests.support import token_for

GONGGANG = "35.20.01.2002"
TRICKY = 'Tom & Jerry <b>Petualangan</b> "Seru" <img src=x onerror=alert(1)>'


async def _collect_csp_reports(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    await page.reload()  # the first load happened before the listener: load again under its eyes
    return found


async def test_a_tricky_title_reads_exactly_as_written_and_highlighted(magetan, server, new_page):
    manifest = f'ISBN;Judul;Pengarang\n9789791680479;"{TRICKY.replace(chr(34), chr(34) * 2)}";A & B\n'.encode()
    async with magetan.acquire() as conn:
        await ingest_package(conn, library=GONGGANG, data=manifest, source_name="aneh.csv", actor="test")
    await wait_until_searchable(server, "petualangan", GONGGANG)

    page = await new_page("/")
    reports = await _collect_csp_reports(page)
    await page.get_by_label("Judul, pengarang, topik atau ISBN").fill("petualangan")
    title = page.locator("#hits li .title").first

    await expect(title).to_have_text(TRICKY)
    await expect(title.locator("mark")).to_have_text("Petualangan")
    assert await title.locator("b, img").count() == 0
    assert page.js_errors == [] and reports == []


async def test_the_desk_and_dashboard_run_under_the_policy(magetan, http, server, new_page):
    await token_for(http, magetan, "sri", "librarian", GONGGANG)
    for path in ("/desk/", "/dashboard/"):
        page = await new_page(path)
        reports = await _collect_csp_reports(page)
        await expect(page.locator("form").first).to_be_visible()
        await page.wait_for_timeout(300)
        assert page.js_errors == [] and reports == [], path
