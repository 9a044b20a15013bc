"""The guest book (buku tamu) one visitor at a time, as the entrance kiosk records it: a member by card
number (counted with their category and gender), or a non-member by category and gender alone (no personal
data). Each visitor adds one to the day's tally through `records.record_visits`, so the event log and the
statistics see a kiosk visitor exactly as a tally typed at the desk. Also the desk's screens of what a library
recorded (tallies, reads on the spot, activities)."""

from __future__ import annotations

import datetime as dt
import json
from typing import cast

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid
from pustaka.unit_of_work import Once
from services.circulation import records
from services.circulation.domain.members import category_of
from services.circulation.libraries import ensure_library
from services.circulation.queries import visitors as q
from services.circulation.records import Category, Gender, VisitTally
from services.circulation.service import Circulation

MAX_DAYS = 366


class Visitor(msgspec.Struct, forbid_unknown_fields=True):
    library: records.LibraryCode
    member_number: str | None = None
    category: Category | None = None
    gender: Gender | None = None
    date: dt.date | None = None
    """The day of the visit when the kiosk sends it later (it was offline); today by default."""


class VisitorRecorded(msgspec.Struct):
    library: str
    date: dt.date
    member: bool
    category: str
    gender: str
    visits_today: int
    """The visitors of that day so far."""


class VisitDayView(msgspec.Struct):
    date: dt.date
    member_visits: int
    non_member_visits: int
    visits: int
    by_category: dict[str, int]
    by_gender: dict[str, int]
    tallies: int
    updated_by: str
    updated_at: dt.datetime


async def record_visitor(
    circulation: Circulation, staff: Staff, visitor: Visitor, once: Once | None = None
) -> VisitorRecorded:
    """One visitor through the door (today, or the day a kiosk that was offline recorded them): a member's
    category and gender come from their record."""
    authorise(staff, Action.CIRCULATE, visitor.library)
    await ensure_library(circulation, visitor.library)
    today = circulation.clock.today()
    return await circulation.write(lambda conn: _record_visitor(conn, visitor, staff.username, today), once)


async def _record_visitor(conn: asyncpg.Connection, visitor: Visitor, actor: str, today: dt.date) -> VisitorRecorded:
    day = records.check_day(visitor.date or today, today)
    if visitor.member_number is not None:
        if visitor.category is not None or visitor.gender is not None:
            raise Invalid(
                "visitor_invalid", "a member's category and gender come from the member record", field="category"
            )
        member = await q.member_facts(conn, member_number=visitor.member_number.strip())
        if member is None:
            raise Invalid("member_not_found", f"no member has number {visitor.member_number}", field="member_number")
        category, gender = category_of(member.birth_year, day), member.gender
    else:
        if visitor.category is None or visitor.gender is None:
            raise Invalid(
                "visitor_invalid",
                "give a member number, or a category and a gender",
                field="category" if visitor.category is None else "gender",
            )
        category, gender = visitor.category, visitor.gender
    is_member = visitor.member_number is not None
    one = VisitTally(
        visitor.library,
        day,
        int(is_member),
        int(not is_member),
        {cast(Category, category): 1},
        {cast(Gender, gender): 1},
    )
    tally = await records.add_visits(conn, one, actor, today)
    return VisitorRecorded(visitor.library, day, is_member, category, gender, tally.visits)


class ReadView(msgspec.Struct):
    read_id: int
    date: dt.date
    item_barcode: str | None
    isbn13: str | None
    title: str
    recorded_by: str
    recorded_at: dt.datetime


class ActivityView(msgspec.Struct):
    activity_id: int
    date: dt.date
    title: str
    kind: str
    participants: int
    partner: str | None
    by_category: dict[str, int]
    by_gender: dict[str, int]
    recorded_by: str


def date_range(first: dt.date | None, last: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates asked, by default the 31 days up to today."""
    last = last or today
    first = first or last - dt.timedelta(days=30)
    if first > last:
        raise Invalid("range_inverted", f"from {first} is after to {last}", field="from")
    if (last - first).days > MAX_DAYS:
        raise Invalid("range_too_long", f"at most {MAX_DAYS} days at once", field="from")
    return first, last


async def reads_of_day(
    circulation: Circulation, staff: Staff, library: str, day: dt.date | None = None
) -> list[ReadView]:
    """The titles recorded as read on the spot on a day (today by default), newest first."""
    authorise(staff, Action.CIRCULATE, library)
    on = day or circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> list[ReadView]:
        return [
            ReadView(r.id, r.day, r.barcode, r.isbn13, r.title, r.recorded_by, r.recorded_at)
            for r in await q.reads_of_day(conn, library=library, day=on)
        ]

    return await circulation.read(work)


async def activities_between(
    circulation: Circulation, staff: Staff, library: str, first: dt.date | None = None, last: dt.date | None = None
) -> list[ActivityView]:
    """A library's activities in a date range (the last 31 days by default), newest first."""
    authorise(staff, Action.CIRCULATE, library)
    first, last = date_range(first, last, circulation.clock.today())

    async def work(conn: asyncpg.Connection) -> list[ActivityView]:
        return [
            ActivityView(
                r.id,
                r.day,
                r.title,
                r.kind,
                r.participants,
                r.partner,
                json.loads(r.by_category),
                json.loads(r.by_gender),
                r.recorded_by,
            )
            for r in await q.activities_between(conn, library=library, first=first, last=last)
        ]

    return await circulation.read(work)


async def visit_days(
    circulation: Circulation, staff: Staff, library: str, first: dt.date | None = None, last: dt.date | None = None
) -> list[VisitDayView]:
    """A library's daily visitor tallies in a date range (the last 31 days by default), newest first."""
    authorise(staff, Action.CIRCULATE, library)
    first, last = date_range(first, last, circulation.clock.today())

    async def work(conn: asyncpg.Connection) -> list[VisitDayView]:
        return [
            VisitDayView(
                r.day,
                r.member_visits,
                r.non_member_visits,
                r.member_visits + r.non_member_visits,
                json.loads(r.by_category),
                json.loads(r.by_gender),
                r.tallies,
                r.updated_by,
                r.updated_at,
            )
            for r in await q.visit_days(conn, library=library, first=first, last=last)
        ]

    return await circulation.read(work)
