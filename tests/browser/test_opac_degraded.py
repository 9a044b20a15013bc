"""A patron whose catalogue cannot reach its search engine (Meilisearch configured, nothing listening)
still finds books, answered by PostgreSQL, and the page says that this is a simpler search."""

from __future__ import annotations

import asyncio
import socket

import msgspec
import uvicorn
from playwright.async_api import expect

from tests.browser.conftest import PHONE, screenshots
from tests.browser.test_opac import GONGGANG, ingest_clean_manifest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_the_opac_says_the_search_is_simpler_while_the_engine_cannot_be_reached(
    magetan, settings, database_url, browser
):
    from pustaka.runtime import build_app

    await ingest_clean_manifest(magetan, GONGGANG)
    nowhere = f"http://127.0.0.1:{_free_port()}"  # a Meilisearch that is down
    system = msgspec.structs.replace(settings, meili_url=nowhere, meili_key="kunci-rahasia")
    port = _free_port()
    uv = uvicorn.Server(
        uvicorn.Config(build_app(system, database_url), host="127.0.0.1", port=port, log_level="critical")
    )
    task = asyncio.create_task(uv.serve())
    context = None
    try:
        while not uv.started:
            await asyncio.sleep(0.02)
        context = await browser.new_context(base_url=f"http://127.0.0.1:{port}", viewport=PHONE, locale="id-ID")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto("/")
        await page.get_by_label("Judul, pengarang, topik atau ISBN").press_sequentially("laskar pelangi", delay=20)
        await expect(page.locator("#hits li").first.locator(".title")).to_contain_text("Laskar Pelangi")
        await expect(page.get_by_role("status")).to_contain_text("buku ditemukan")
        note = page.get_by_role("note")
        await expect(note).to_contain_text("Mesin pencari sedang tidak terjangkau")
        assert str(nowhere.rsplit(":", 1)[1]) not in await page.content()
        await screenshots(page, "opac-degraded")
        assert not errors
    finally:
        if context is not None:
            await context.close()
        uv.should_exit = True
        await task
