"""Automatic backups while `pustaka up` runs: one a day, and one soon after each aid package is ingested
(the day's work of registering 1000 books is worth saving at once), each kept in PUSTAKA_BACKUP_DIR and
copied to PUSTAKA_BACKUP_MIRROR, keeping the newest PUSTAKA_BACKUP_KEEP."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import asyncpg

from pustaka.backup import BackupFailed, run_backup
from pustaka.config import Settings
from pustaka.sql import load

Q = load(__file__, "autobackup.sql")
log = logging.getLogger("pustaka.backup")
DAILY = dt.timedelta(days=1)
CHECK_SECONDS = 30.0
RETRY = dt.timedelta(minutes=10)


class Schedule:
    """Decides when the next backup is due (pure: the clock and the facts are given)."""

    def __init__(self, last_backup: dt.datetime | None, newest_package: int) -> None:
        self.last_backup = last_backup
        self.seen_package = newest_package
        self.failed_at: dt.datetime | None = None

    def due(self, now: dt.datetime, newest_package: int) -> str | None:
        if self.failed_at is not None and now - self.failed_at < RETRY:
            return None
        if newest_package > self.seen_package:
            return "after_ingest"
        if self.last_backup is None or now - self.last_backup >= DAILY:
            return "daily"
        return None

    def done(self, now: dt.datetime, newest_package: int) -> None:
        self.last_backup, self.seen_package, self.failed_at = now, newest_package, None

    def failed(self, now: dt.datetime) -> None:
        self.failed_at = now


async def _facts(url: str) -> tuple[dt.datetime | None, int]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(Q.last_backup_at), await conn.fetchval(Q.newest_package)
    finally:
        await conn.close()


async def backup_forever(settings: Settings, url: str, app_version: str, every: float = CHECK_SECONDS) -> None:
    """Check every `every` seconds whether a backup is due, and make it; never stops on a failure."""
    last, newest = await _facts(url)
    schedule = Schedule(last, newest)
    while True:
        try:
            _, newest = await _facts(url)
            now = dt.datetime.now(dt.UTC)
            kind = schedule.due(now, newest)
            if kind is not None:
                assert settings.backup_dir is not None  # load_settings always names one
                report = await run_backup(
                    url,
                    settings.backup_dir,
                    kind=kind,
                    keep=settings.backup_keep,
                    mirror=settings.backup_mirror,
                    app_version=app_version,
                )
                schedule.done(now, newest)
                log.info("backup written: %s (%d bytes, %.1f s)", report.path, report.size, report.seconds)
                if report.mirror_error:
                    log.warning("backup not copied to PUSTAKA_BACKUP_MIRROR: %s", report.mirror_error)
        except asyncio.CancelledError:
            raise
        except BackupFailed as exc:
            schedule.failed(dt.datetime.now(dt.UTC))
            log.error("automatic backup failed: %s", exc)
        except Exception:  # noqa: BLE001 - the next round tries again
            schedule.failed(dt.datetime.now(dt.UTC))
            log.exception("automatic backup failed")
        await asyncio.sleep(every)
