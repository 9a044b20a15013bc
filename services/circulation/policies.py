"""Loan policies and calendars of a library: read for every loan, set by the library's staff.

`library_rules`, `set_policy` and `set_calendar` are use cases (they take the `Circulation`, authorise, read the
date from its clock and run in one transaction); `policy_and_calendar` and `from_facts` are what the lending and
hold use cases read inside their own transactions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid
from services.circulation.domain.members import CATEGORIES
from services.circulation.domain.policy import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICIES,
    Calendar,
    LoanPolicy,
    check_closed_weekdays,
)
from services.circulation.queries import policies as q
from services.circulation.service import Circulation

_FIELDS = LoanPolicy.__struct_fields__


class ClosedDate(msgspec.Struct, forbid_unknown_fields=True):
    date: dt.date
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class CalendarChange(msgspec.Struct, forbid_unknown_fields=True):
    closed_weekdays: Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=7)]], msgspec.Meta(max_length=7)]
    """ISO weekdays: 1 Monday ... 7 Sunday."""
    closed_dates: Annotated[list[ClosedDate], msgspec.Meta(max_length=366)] = []


class LibraryRules(msgspec.Struct):
    """A library's loan policies (one per member category) and calendar."""

    library: str
    policies: dict[str, LoanPolicy]
    closed_weekdays: list[int]
    closed_dates: list[dt.date]


def _policy(row: Mapping[str, Any] | msgspec.Struct | None, category: str) -> LoanPolicy:
    facts = msgspec.structs.asdict(row) if isinstance(row, msgspec.Struct) else row
    if facts is None or facts["loan_days"] is None:
        return DEFAULT_POLICIES[category]
    return LoanPolicy(**{f: facts[f] for f in _FIELDS})


def _calendar(weekdays: list[int] | None, dates: list[dt.date]) -> Calendar:
    closed = DEFAULT_CALENDAR.closed_weekdays if weekdays is None else frozenset(weekdays)
    return Calendar(closed_weekdays=closed, closed_dates=frozenset(dates))


def from_facts(
    policies_json: str | None,
    category: str,
    weekdays: list[int] | None = None,
    dates: list[dt.date] | tuple[dt.date, ...] = (),
) -> tuple[LoanPolicy, Calendar]:
    """The policy and calendar from a facts query (the library's policies as JSON rows; None: defaults)."""
    rows = {r["category"]: r for r in json.loads(policies_json)} if policies_json else {}
    return _policy(rows.get(category), category), _calendar(weekdays, list(dates))


async def policy_and_calendar(
    conn: asyncpg.Connection, library: str, category: str, today: dt.date
) -> tuple[LoanPolicy, Calendar]:
    """The rules a loan of this member category in this library follows."""
    row = await q.policy_and_calendar(conn, library=library, category=category, today=today)
    assert row is not None  # the query always yields one row
    return _policy(row, category), _calendar(row.closed_weekdays, row.closed_dates)


async def _rules(conn: asyncpg.Connection, library: str, today: dt.date) -> LibraryRules:
    """Every category's policy (defaults where the library set none) and the calendar from today on."""
    rows = {r.category: r for r in await q.policies_of_library(conn, library=library)}
    calendar = await q.calendar_of_library(conn, library=library, today=today)
    assert calendar is not None  # the query always yields one row
    weekdays = calendar.closed_weekdays
    return LibraryRules(
        library=library,
        policies={c: _policy(rows.get(c), c) for c in CATEGORIES},
        closed_weekdays=sorted(DEFAULT_CALENDAR.closed_weekdays if weekdays is None else weekdays),
        closed_dates=calendar.closed_dates,
    )


async def library_rules(circulation: Circulation, staff: Staff, library: str) -> LibraryRules:
    """The loan policy of each member category (defaults where none is set) and the calendar from today on."""
    authorise(staff, Action.CIRCULATE, library)
    today = circulation.clock.today()
    return await circulation.read(lambda conn: _rules(conn, library, today))


async def set_policy(
    circulation: Circulation, staff: Staff, library: str, category: str, policy: LoanPolicy
) -> LibraryRules:
    """Set one member category's policy in a library."""
    authorise(staff, Action.CIRCULATE, library)
    if category not in CATEGORIES:
        raise Invalid("category_invalid", f"category must be one of {', '.join(CATEGORIES)}", field="category")
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> LibraryRules:
        await q.upsert_policy(
            conn, library=library, category=category, actor=staff.username, **{f: getattr(policy, f) for f in _FIELDS}
        )
        await q.audit(
            conn,
            actor=staff.username,
            action="loan_policy.set",
            library=library,
            target=f"policy:{category}",
            detail=json.dumps(msgspec.to_builtins(policy)),
        )
        return await _rules(conn, library, today)

    return await circulation.write(work)


async def set_calendar(circulation: Circulation, staff: Staff, library: str, change: CalendarChange) -> LibraryRules:
    """Set the weekdays a library is closed and its closed dates from today on (older ones are kept)."""
    authorise(staff, Action.CIRCULATE, library)
    try:
        weekdays = sorted(check_closed_weekdays(change.closed_weekdays))
    except ValueError as exc:
        raise Invalid("closed_weekdays_invalid", str(exc), field="closed_weekdays") from None
    today = circulation.clock.today()
    dates = change.closed_dates

    async def work(conn: asyncpg.Connection) -> LibraryRules:
        await q.upsert_calendar(conn, library=library, closed_weekdays=weekdays, actor=staff.username)
        await q.delete_closed_dates_from(conn, library=library, today=today)
        await q.insert_closed_dates(
            conn, library=library, dates=[d.date for d in dates], reasons=[d.reason for d in dates], today=today
        )
        await q.audit(
            conn,
            actor=staff.username,
            action="calendar.set",
            library=library,
            target="calendar",
            detail=json.dumps({"closed_weekdays": weekdays, "closed_dates": [d.date.isoformat() for d in dates]}),
        )
        return await _rules(conn, library, today)

    return await circulation.write(work)
