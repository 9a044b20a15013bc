"""HTTP handlers for a library's loan policies and calendar."""

from __future__ import annotations

from typing import Annotated

import asyncpg
import msgspec
from litestar import get, put

from pustaka.access import Action, Staff
from pustaka.web import authorise
from services.circulation import clock, policies
from services.circulation.domain.policy import LoanPolicy
from services.circulation.wire import PREFIX


class CalendarChange(msgspec.Struct, forbid_unknown_fields=True):
    closed_weekdays: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=7)]], msgspec.Meta(max_length=7)]
    """ISO weekdays: 1 Monday ... 7 Sunday."""
    closed_dates: Annotated[list[policies.ClosedDate], msgspec.Meta(max_length=366)] = []


@get(f"{PREFIX}/libraries/{{code:str}}/loan-policies")
async def library_rules(pool: asyncpg.Pool, staff: Staff, code: str) -> policies.LibraryRules:
    """The loan policy of each member category (defaults where none is set) and the calendar."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        return await policies.library_rules(conn, code, clock.today())


@put(f"{PREFIX}/libraries/{{code:str}}/loan-policies/{{category:str}}")
async def set_policy(pool: asyncpg.Pool, staff: Staff, code: str, category: str,
                     data: LoanPolicy) -> policies.LibraryRules:
    """Set the loan policy of one member category (anak, remaja, dewasa, lansia)."""
    async with pool.acquire() as conn, conn.transaction():
        return await policies.set_policy(conn, staff, library=code, category=category, policy=data,
                                         today=clock.today())


@put(f"{PREFIX}/libraries/{{code:str}}/calendar")
async def set_calendar(pool: asyncpg.Pool, staff: Staff, code: str, data: CalendarChange) -> policies.LibraryRules:
    """Set the closed weekdays and the closed dates from today on; due dates move to the next open day."""
    async with pool.acquire() as conn, conn.transaction():
        return await policies.set_calendar(conn, staff, library=code, closed_weekdays=data.closed_weekdays,
                                           closed_dates=data.closed_dates, today=clock.today())


HANDLERS = [library_rules, set_policy, set_calendar]
