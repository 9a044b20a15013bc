"""The record of backups made of this database, and how old the newest one is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import asyncpg
import msgspec

from pustaka.sql import load

Q = load(__file__, "backups.sql")
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


async def record_backup(conn: asyncpg.Connection, report) -> None:
    """Note a backup that is complete on disk (`report`: a pustaka.backup.BackupReport)."""
    await conn.execute(Q.record_backup, report.kind, Path(report.path).name, report.size, report.sha256,
                       report.seconds, report.mirror is not None)


async def latest_backup(conn: asyncpg.Connection) -> LatestBackup:
    row = await conn.fetchrow(Q.latest_backup)
    if row is None:
        return LatestBackup(taken_at=None, age_hours=None, stale=True)
    return LatestBackup(taken_at=row["taken_at"], age_hours=round(row["age_hours"], 2),
                        stale=row["age_hours"] > STALE_HOURS, kind=row["kind"], file_name=row["file_name"],
                        bytes=row["bytes"], mirrored=row["mirrored"])
