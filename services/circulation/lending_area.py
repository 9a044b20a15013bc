"""Where members may borrow: at their own library only (the default), or anywhere in their kabupaten when
the kabupaten allows it. Either way a librarian never sees another library's member's name or contact."""

from __future__ import annotations

import re

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid
from services.circulation.queries import lending_area as q
from services.circulation.queries.lending_area import LendingArea
from services.circulation.service import Circulation

_KABUPATEN = re.compile(r"^\d{2}\.\d{2}$")


class LendingAreaChange(msgspec.Struct, forbid_unknown_fields=True):
    lend_to_whole_kabupaten: bool


async def whole_kabupaten(conn: asyncpg.Connection, library: str) -> bool:
    """Whether `library`'s kabupaten lets it serve members of the kabupaten's other libraries."""
    return bool(await q.whole_kabupaten(conn, kabupaten=library[:5]))


def _kabupaten(staff: Staff, code: str) -> str:
    if not _KABUPATEN.match(code):
        raise Invalid("kabupaten_invalid", "a kabupaten is named by its code, e.g. 35.20", field="code")
    authorise(staff, Action.CONFIGURE_KABUPATEN, code)
    return code


async def lending_area(circulation: Circulation, staff: Staff, code: str) -> LendingArea:
    """Whether the libraries of a kabupaten lend to members of any library in it."""
    kabupaten = _kabupaten(staff, code)
    found = await circulation.read(lambda conn: q.setting(conn, kabupaten=kabupaten))
    return found or LendingArea(code, False)


async def set_lending_area(circulation: Circulation, staff: Staff, code: str, change: LendingAreaChange) -> LendingArea:
    """Let (or stop) the libraries of a kabupaten lend to each other's members (admin, or its district)."""
    kabupaten = _kabupaten(staff, code)

    async def work(conn: asyncpg.Connection) -> LendingArea:
        saved = await q.upsert_setting(
            conn, kabupaten=kabupaten, whole=change.lend_to_whole_kabupaten, actor=staff.username
        )
        assert saved is not None  # an upsert … RETURNING gives its row
        return saved

    return await circulation.write(work)
