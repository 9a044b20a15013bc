"""Statistics fixtures: the circulation fixtures (books in Gonggang, desk staff), district staff, and a
helper that writes events at chosen times."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from tests.circulation.conftest import GONGGANG, SOMBO, admin, books, desk  # noqa: F401  (fixtures)
from tests.support import token_for

WIB = ZoneInfo("Asia/Jakarta")
API = "/api/circulation/v1"
MAGETAN = "35.20"
PONCOL = "35.20.01"


@pytest.fixture
async def district(http: httpx.AsyncClient, magetan: asyncpg.Pool) -> dict[str, str]:
    """The Authorization header of a Dinas Arsip dan Perpustakaan officer of Kabupaten Magetan."""
    return await token_for(http, magetan, "dinas", "district", MAGETAN)


def wib(text: str) -> dt.datetime:
    """`2026-01-31 23:30` in Asia/Jakarta time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


class History:
    """Writes event rows at chosen moments, with the same columns lending.check_out / check_in / renew and
    the member registration write through journal.record (the use cases stamp `now()`, so a history in
    the past cannot be made through them)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.loan_ids = 0

    async def event(
        self,
        type_: str,
        at: dt.datetime,
        library: str,
        *,
        member: tuple | None = None,
        title: tuple | None = None,
        loan_id: int | None = None,
        due: dt.date | None = None,
        late_days: int | None = None,
        detail: dict | None = None,
        simulated: bool = False,
    ) -> None:
        member_id, category, gender = member or (None, None, None)
        title_id, ddc_class, audience, category_t, language = title or (None, None, None, None, None)
        async with self.pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO circulation.events (at, type, actor, library_code, member_id, member_category,"
                " member_gender, member_disability, member_library, loan_id, barcode, title_id, isbn13, ddc_class,"
                " audience, category, language, due_date, late_days, simulated, detail)"
                " VALUES ($1, $2, 'test', $3, $4, $5, $6, $7, $3, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
                " $18, $19::jsonb)",
                at,
                type_,
                library,
                member_id,
                category,
                gender,
                False if member else None,
                loan_id,
                f"B{title_id}" if title_id else None,
                title_id,
                f"97860200000{title_id:02d}" if title_id else None,
                ddc_class,
                audience,
                category_t,
                language,
                due,
                late_days,
                simulated,
                json.dumps(detail or {}),
            )

    async def loan(self, at: dt.datetime, library: str, member: tuple, title: tuple, due: dt.date) -> int:
        self.loan_ids += 1
        await self.event("checked_out", at, library, member=member, title=title, loan_id=self.loan_ids, due=due)
        return self.loan_ids

    async def give_back(
        self, at: dt.datetime, library: str, loan_id: int, member: tuple, title: tuple, due: dt.date
    ) -> None:
        late = max(0, (at.astimezone(WIB).date() - due).days)
        await self.event(
            "checked_in", at, library, member=member, title=title, loan_id=loan_id, due=due, late_days=late
        )

    async def renew(
        self, at: dt.datetime, library: str, loan_id: int, member: tuple, title: tuple, due: dt.date
    ) -> None:
        await self.event("renewed", at, library, member=member, title=title, loan_id=loan_id, due=due)


@pytest.fixture
def history(magetan: asyncpg.Pool) -> History:
    return History(magetan)
