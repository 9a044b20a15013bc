"""Browser tests: Playwright (async API) driving Debian's Chromium headless against the whole system served
over real HTTP. Without /usr/bin/chromium every test here is skipped AND the run says so in its summary:
a missing browser is never a silent pass."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Debian's Chromium; PUSTAKA_TEST_CHROMIUM only to check what happens without it.
CHROMIUM = os.environ.get("PUSTAKA_TEST_CHROMIUM", "/usr/bin/chromium")
NOT_RUN = "Chromium is not installed (scripts/test.sh installs Debian's chromium where it can): browser tests fail"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent / "artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def chromium_missing() -> bool:
    return not os.access(CHROMIUM, os.X_OK)


_collected: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses_browser = {"browser", "new_page"} & set(getattr(item, "fixturenames", ()))
        if Path(str(item.fspath)).resolve().is_relative_to(HERE) and uses_browser:
            _collected.append(item.nodeid)
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if chromium_missing() and _collected:
        terminalreporter.write_sep("!", f"{NOT_RUN} ({len(_collected)} tests)", red=True, bold=True)


@pytest.fixture(scope="session")
async def browser():
    from playwright.async_api import async_playwright

    if chromium_missing():
        pytest.fail(NOT_RUN, pytrace=False)
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        await chromium.close()


@pytest.fixture
async def new_page(browser, server):
    """Open pages on the system under test, at phone width by default; close them after the test."""
    from playwright.async_api import expect

    expect.set_options(timeout=10_000)
    contexts = []

    async def open_page(path: str = "/", viewport: dict | None = None, **context_options):
        context = await browser.new_context(
            base_url=server,
            viewport=viewport or PHONE,
            accept_downloads=True,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            **context_options,
        )
        contexts.append(context)
        page = await context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        await page.goto(path)
        return page

    yield open_page
    for context in contexts:
        await context.close()


async def screenshots(page, name: str) -> list[Path]:
    """Save the page as it looks on a 360 px phone and on a 1280 px laptop."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    original = page.viewport_size
    for label, size in (("360", PHONE), ("1280", DESKTOP)):
        await page.set_viewport_size(size)
        await page.wait_for_timeout(100)
        path = SCREENSHOTS / f"{name}-{label}.png"
        await page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    await page.set_viewport_size(original)
    return saved


async def log_in(page, username: str) -> None:
    """Fill the login form of the desk or the dashboard with a user made by tests.support.make_user."""
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill("rahasia-" + username)
    await page.get_by_role("button", name="Masuk", exact=True).click()
