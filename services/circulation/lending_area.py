"""Where members may borrow: at their own library only (the default), or anywhere in their kabupaten when
the kabupaten allows it. Either way a librarian never sees another library's member's name or contact."""

from __future__ import annotations

import datetime as dt
import re

import asyncpg
import msgspec
from litestar import get, put

from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.sql import load
from pustaka.web import authorise
from services.circulation.wire import PREFIX

Q = load(__file__, "lending_area.sql")
_KABUPATEN = re.compile(r"^\d{2}\.\d{2}$")


class LendingArea(msgspec.Struct):
    kabupaten: str
    lend_to_whole_kabupaten: bool
    """False (the default): a library lends only to its own members (`member_of_other_library`, 409)."""
    updated_by: str | None = None
    updated_at: dt.datetime | None = None


class LendingAreaChange(msgspec.Struct, forbid_unknown_fields=True):
    lend_to_whole_kabupaten: bool


async def whole_kabupaten(conn: asyncpg.Connection, library: str) -> bool:
    """Whether `library`'s kabupaten lets it serve members of the kabupaten's other libraries."""
    return bool(await conn.fetchval(Q.whole_kabupaten, library[:5]))


def _view(code: str, row: asyncpg.Record | None) -> LendingArea:
    if row is None:
        return LendingArea(code, False)
    return LendingArea(row["kabupaten"], row["lend_to_whole_kabupaten"], row["updated_by"], row["updated_at"])


def _kabupaten(staff: Staff, code: str) -> str:
    if not _KABUPATEN.match(code):
        raise Invalid("kabupaten_invalid", "a kabupaten is named by its code, e.g. 35.20", field="code")
    authorise(staff, Action.CONFIGURE_KABUPATEN, code)
    return code


@get(f"{PREFIX}/kabupaten/{{code:str}}/lending-area")
async def get_lending_area(pool: asyncpg.Pool, staff: Staff, code: str) -> LendingArea:
    """Whether the libraries of this kabupaten lend to members of any library in it."""
    async with pool.acquire() as conn:
        return _view(code, await conn.fetchrow(Q.setting, _kabupaten(staff, code)))


@put(f"{PREFIX}/kabupaten/{{code:str}}/lending-area")
async def set_lending_area(pool: asyncpg.Pool, staff: Staff, code: str, data: LendingAreaChange) -> LendingArea:
    """Let (or stop) the libraries of a kabupaten lend to each other's members (admin, or its district)."""
    async with pool.acquire() as conn:
        return _view(code, await conn.fetchrow(Q.upsert_setting, _kabupaten(staff, code), data.lend_to_whole_kabupaten,
                                               staff.username))


HANDLERS = [get_lending_area, set_lending_area]
