"""Where a kabupaten's libraries lend (lending_area.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "lending_area.sql")


class LendingArea(msgspec.Struct):
    kabupaten: str
    lend_to_whole_kabupaten: bool
    """False (the default): a library lends only to its own members (`member_of_other_library`, 409)."""
    updated_by: str | None = None
    updated_at: dt.datetime | None = None


setting = Q.one("setting", LendingArea)
upsert_setting = Q.one("upsert_setting", LendingArea)
"""Save a kabupaten's setting (`whole`) and audit it, in one statement."""
whole_kabupaten = Q.value("whole_kabupaten", bool)
