"""The record of backups made of this database, and how old the newest one is.

`latest_backup` is the use case behind the desk's and the dashboard's banner; `record_backup` is what a backup
(`pustaka/backup.py`) writes inside its own transaction once the file is complete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from pustaka.access import Staff
from services.circulation.queries import backups as q
from services.circulation.service import Circulation

STALE_HOURS = 48
"""A backup older than two days is shown as a warning on the desk and the dashboard."""


class LatestBackup(msgspec.Struct):
    taken_at: dt.datetime | None
    age_hours: float | None
    stale: bool
    kind: str | None = None
    file_name: str | None = None
    bytes: int | None = None
    mirrored: bool = False


async def record_backup(conn: asyncpg.Connection, report: Any) -> None:
    """Note a backup that is complete on disk (`report`: a pustaka.backup.BackupReport)."""
    await q.record_backup(
        conn,
        kind=report.kind,
        file_name=Path(report.path).name,
        bytes=report.size,
        sha256=report.sha256,
        seconds=report.seconds,
        mirrored=report.mirror is not None,
    )


async def _latest(conn: asyncpg.Connection) -> LatestBackup:
    row = await q.latest_backup(conn)
    if row is None:
        return LatestBackup(taken_at=None, age_hours=None, stale=True)
    return LatestBackup(
        taken_at=row.taken_at,
        age_hours=round(row.age_hours, 2),
        stale=row.age_hours > STALE_HOURS,
        kind=row.kind,
        file_name=row.file_name,
        bytes=row.bytes,
        mirrored=row.mirrored,
    )


async def latest_backup(circulation: Circulation, staff: Staff) -> LatestBackup:
    """When the newest backup was made. Any logged-in staff member may see it (`staff` is who asks): every
    librarian should know when the data was last saved."""
    return await circulation.read(_latest)
