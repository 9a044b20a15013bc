"""Loan policies and calendars of a library: read for every loan, set by the library's staff."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import asyncpg
import msgspec

from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.sql import load
from pustaka.web import authorise
from services.circulation.domain.members import CATEGORIES
from services.circulation.domain.policy import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICIES,
    Calendar,
    LoanPolicy,
    check_closed_weekdays,
)

Q = load(__file__, "policies.sql")
_FIELDS = LoanPolicy.__struct_fields__


class ClosedDate(msgspec.Struct, forbid_unknown_fields=True):
    date: dt.date
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class LibraryRules(msgspec.Struct):
    """A library's loan policies (one per member category) and calendar."""

    library: str
    policies: dict[str, LoanPolicy]
    closed_weekdays: list[int]
    closed_dates: list[dt.date]


def _policy(row: asyncpg.Record | dict | None, category: str) -> LoanPolicy:
    if row is None or row["loan_days"] is None:
        return DEFAULT_POLICIES[category]
    return LoanPolicy(**{f: row[f] for f in _FIELDS})


def _calendar(weekdays: list[int] | None, dates: list[dt.date]) -> Calendar:
    closed = DEFAULT_CALENDAR.closed_weekdays if weekdays is None else frozenset(weekdays)
    return Calendar(closed_weekdays=closed, closed_dates=frozenset(dates))


def from_facts(policies_json: str | None, category: str, weekdays: list[int] | None = None,
               dates: list[dt.date] = ()) -> tuple[LoanPolicy, Calendar]:
    """The policy and calendar from a facts query (the library's policies as JSON rows; None: defaults)."""
    rows = {r["category"]: r for r in json.loads(policies_json)} if policies_json else {}
    return _policy(rows.get(category), category), _calendar(weekdays, list(dates))


async def policy_and_calendar(conn: asyncpg.Connection, library: str, category: str,
                              today: dt.date) -> tuple[LoanPolicy, Calendar]:
    """The rules a loan of this member category in this library follows."""
    row = await conn.fetchrow(Q.policy_and_calendar, library, category, today)
    return _policy(row, category), _calendar(row["closed_weekdays"], list(row["closed_dates"]))


async def library_rules(conn: asyncpg.Connection, library: str, today: dt.date) -> LibraryRules:
    """Every category's policy (defaults where the library set none) and the calendar from today on."""
    rows = {r["category"]: r for r in await conn.fetch(Q.policies_of_library, library)}
    calendar = await conn.fetchrow(Q.calendar_of_library, library, today)
    weekdays = calendar["closed_weekdays"]
    return LibraryRules(
        library=library, policies={c: _policy(rows.get(c), c) for c in CATEGORIES},
        closed_weekdays=sorted(DEFAULT_CALENDAR.closed_weekdays if weekdays is None else weekdays),
        closed_dates=list(calendar["closed_dates"]),
    )


async def set_policy(conn: asyncpg.Connection, staff: Staff, *, library: str, category: str,
                     policy: LoanPolicy, today: dt.date) -> LibraryRules:
    """Set one member category's policy in a library."""
    authorise(staff, Action.CIRCULATE, library)
    if category not in CATEGORIES:
        raise Invalid("category_invalid", f"category must be one of {', '.join(CATEGORIES)}", field="category")
    await conn.execute(Q.upsert_policy, library, category, *(getattr(policy, f) for f in _FIELDS), staff.username)
    await conn.execute(Q.audit, staff.username, "loan_policy.set", library, f"policy:{category}",
                       json.dumps(msgspec.to_builtins(policy)))
    return await library_rules(conn, library, today)


async def set_calendar(conn: asyncpg.Connection, staff: Staff, *, library: str, closed_weekdays: list[int],
                       closed_dates: list[ClosedDate], today: dt.date) -> LibraryRules:
    """Set the weekdays a library is closed and its closed dates from today on (older ones are kept)."""
    authorise(staff, Action.CIRCULATE, library)
    try:
        weekdays = check_closed_weekdays(closed_weekdays)
    except ValueError as exc:
        raise Invalid("closed_weekdays_invalid", str(exc), field="closed_weekdays") from None
    await conn.execute(Q.upsert_calendar, library, sorted(weekdays), staff.username)
    await conn.execute(Q.delete_closed_dates_from, library, today)
    await conn.execute(Q.insert_closed_dates, library, [d.date for d in closed_dates],
                       [d.reason for d in closed_dates], today)
    await conn.execute(Q.audit, staff.username, "calendar.set", library, "calendar",
                       json.dumps({"closed_weekdays": sorted(weekdays),
                                   "closed_dates": [d.date.isoformat() for d in closed_dates]}))
    return await library_rules(conn, library, today)
