"""The record of backups made of this database (backups.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "backups.sql")


class BackupRow(msgspec.Struct):
    taken_at: dt.datetime
    kind: str
    file_name: str
    bytes: int
    mirrored: bool
    age_hours: float


record_backup = Q.execute("record_backup")
latest_backup = Q.one("latest_backup", BackupRow)
"""The newest backup, and its age by the database's clock (the same clock that stamped it)."""
