"""The desk and the dashboard say when the data was last backed up, and warn when that is over two days ago."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import log_in, screenshots
from tests.support import make_user

GONGGANG = "35.20.01.2002"
RECORD = (
    "INSERT INTO circulation.backups (taken_at, kind, file_name, bytes, sha256, seconds) "
    "VALUES ($1::text::timestamptz, 'daily', 'pustaka-backup-x.tar', 1000, repeat('a', 64), 1)"
)


async def test_the_desk_warns_until_a_recent_backup_exists(magetan, server, new_page):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    page = await new_page("/desk/")
    status = page.locator("#backup-status")
    await expect(status).to_be_hidden()  # nobody logged in: nothing to say yet
    await log_in(page, "sri")
    await expect(status).to_have_text(
        'Perhatian: belum ada cadangan data. Jalankan "pustaka backup" atau biarkan "pustaka up" menyala.'
    )
    async with magetan.acquire() as conn:
        await conn.execute(RECORD, "2026-01-05T01:30:00Z")
    await page.reload()
    await expect(status).to_contain_text("Perhatian: cadangan data terakhir 5 Jan 2026, 08.30 WIB, lebih dari dua hari")
    await expect(status).to_have_class("banner")
    await screenshots(page, "desk-backup-warning")
    async with magetan.acquire() as conn:
        await conn.execute(
            "INSERT INTO circulation.backups (kind, file_name, bytes, sha256, seconds) "
            "VALUES ('daily', 'pustaka-backup-y.tar', 1000, repeat('b', 64), 1)"
        )
    await page.reload()
    await expect(status).to_contain_text("Cadangan data terakhir: ")
    await expect(status).not_to_have_class("banner")


async def test_the_dashboard_shows_the_same_warning_in_english(magetan, server, new_page):
    await make_user(magetan, "dinas", "district", "35.20")
    page = await new_page("/dashboard/")
    await log_in(page, "dinas")
    await expect(page.locator("#backup-status")).to_contain_text("Perhatian: belum ada cadangan data.")
    await page.locator("#lang").click()
    await expect(page.locator("#backup-status")).to_contain_text("Warning: there is no data backup yet.")
