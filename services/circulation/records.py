"""Non-loan use recorded at the desk: daily visitor tallies, titles read on the spot (baca di tempat) and
literacy/community activities. Each is one use case, one transaction, and one event in the log that
statistics are folded from (types `visits_recorded`, `read_onsite`, `activity_held`). Each takes the
`Circulation` and the staff member acting, authorises, reads the date from the service's clock and runs in one
transaction (see service.py); the desk's handlers and the simulator call the same functions.

Visitor tallies: a POST for a library and day ADDS to that day's tally (a desk may count the morning and
the afternoon apart). A POST with `"correction": true` REPLACES the day's tally; its event carries the
difference, so the log stays append-only and statistics stay exact.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

import asyncpg
import msgspec

from kernel.libraries import LIBRARY_CODE_PATTERN
from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.circulation import journal
from services.circulation.domain.members import CATEGORIES, GENDERS
from services.circulation.domain.titles import TitleFacts, clean_isbn13
from services.circulation.journal import Change
from services.circulation.libraries import ensure_library
from services.circulation.queries import copies as copies_q
from services.circulation.queries import records as q
from services.circulation.service import Circulation

LibraryCode = Annotated[str, msgspec.Meta(pattern=LIBRARY_CODE_PATTERN)]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Category = Literal["anak", "remaja", "dewasa", "lansia"]
Gender = Literal["L", "P"]
MAX_PAST_DAYS = 366 * 5
K = TypeVar("K", bound=str)


class VisitTally(msgspec.Struct, forbid_unknown_fields=True):
    library: LibraryCode
    date: dt.date
    member_visits: Count
    non_member_visits: Count
    by_category: dict[Category, Count] | None = None
    by_gender: dict[Gender, Count] | None = None
    correction: bool = False
    """Replace the day's tally instead of adding to it."""
    expected_tallies: Annotated[int, msgspec.Meta(ge=0)] | None = None
    """For a correction: the `tallies` of the day as the librarian saw it; refused when it changed since
    (a kiosk counted a visitor meanwhile), so a correction never wipes out a count it did not see."""


class VisitDay(msgspec.Struct):
    library: str
    date: dt.date
    member_visits: int
    non_member_visits: int
    visits: int
    by_category: dict[str, int]
    by_gender: dict[str, int]
    tallies: int
    correction: bool


class OnsiteRead(msgspec.Struct, forbid_unknown_fields=True):
    library: LibraryCode
    item_barcode: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    isbn13: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] | None = None
    date: dt.date | None = None


class ReadRecorded(msgspec.Struct):
    read_id: int
    library: str
    date: dt.date
    item_barcode: str | None
    isbn13: str | None
    title: str


class ActivityHeld(msgspec.Struct, forbid_unknown_fields=True):
    library: LibraryCode
    date: dt.date
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    kind: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z_]{1,39}$")]
    """A short lowercase word such as `bercerita`, `pelatihan`, `lomba`, `bimbingan_baca`."""
    participants: Count
    partner: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    by_category: dict[Category, Count] | None = None
    by_gender: dict[Gender, Count] | None = None


class ActivityRecorded(msgspec.Struct):
    activity_id: int
    library: str
    date: dt.date
    title: str
    kind: str
    participants: int
    partner: str | None
    by_category: dict[str, int]
    by_gender: dict[str, int]


def check_split(split: Mapping[K, int] | None, total: int, field: str) -> dict[str, int]:
    """A breakdown by category or gender must add up to the total it splits."""
    if split is None:
        return {}
    if sum(split.values()) != total:
        raise Invalid(
            "breakdown_sum_mismatch", f"{field} adds up to {sum(split.values())}, but the total is {total}", field=field
        )
    return {str(k): v for k, v in split.items() if v}


def check_day(day: dt.date, today: dt.date, field: str = "date") -> dt.date:
    if day > today:
        raise Invalid("date_in_future", f"{day} is after today ({today})", field=field)
    if (today - day).days > MAX_PAST_DAYS:
        raise Invalid("date_too_old", f"{day} is more than five years ago", field=field)
    return day


def _difference(new: dict[str, int], old: dict[str, int]) -> dict[str, int]:
    return {k: new.get(k, 0) - old.get(k, 0) for k in sorted(set(new) | set(old)) if new.get(k, 0) != old.get(k, 0)}


def _added(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(set(a) | set(b))}


async def record_visits(
    circulation: Circulation, staff: Staff, tally: VisitTally, once: Once | None = None
) -> VisitDay:
    """Add a visitor tally to a library's day (or, as a correction, replace the day's tally)."""
    authorise(staff, Action.CIRCULATE, tally.library)
    await ensure_library(circulation, tally.library)
    today = circulation.clock.today()
    return await circulation.write(lambda conn: add_visits(conn, tally, staff.username, today), once)


async def add_visits(conn: asyncpg.Connection, tally: VisitTally, actor: str, today: dt.date) -> VisitDay:
    """The work of `record_visits` inside a transaction (also a kiosk visitor's, see visitors.py)."""
    check_day(tally.date, today)
    total = tally.member_visits + tally.non_member_visits
    by_category = check_split(tally.by_category, total, "by_category")
    by_gender = check_split(tally.by_gender, total, "by_gender")
    await q.open_visit_day(conn, library=tally.library, day=tally.date, actor=actor)
    was = await q.visit_day(conn, library=tally.library, day=tally.date)
    assert was is not None  # opened just above
    was_category, was_gender = was.by_category, was.by_gender
    if tally.expected_tallies is not None and tally.expected_tallies != was.tallies:
        raise Conflict(
            "visit_tally_changed",
            f"the tally of {tally.date} changed since it was read "
            f"({was.tallies} counts now, {tally.expected_tallies} then); read it again",
            field="expected_tallies",
            extra={"tallies": was.tallies},
        )
    if tally.correction:
        member_visits, non_member_visits = tally.member_visits, tally.non_member_visits
        now_category, now_gender = by_category, by_gender
    else:
        member_visits = was.member_visits + tally.member_visits
        non_member_visits = was.non_member_visits + tally.non_member_visits
        now_category, now_gender = _added(was_category, by_category), _added(was_gender, by_gender)
    tallies = was.tallies + 1
    saved = await q.save_visit_day(
        conn,
        library=tally.library,
        day=tally.date,
        member_visits=member_visits,
        non_member_visits=non_member_visits,
        by_category=json.dumps(now_category),
        by_gender=json.dumps(now_gender),
        tallies=tallies,
        actor=actor,
        tallies_before=was.tallies,
    )
    if saved is None:
        raise Conflict("visit_tally_changed", f"the tally of {tally.date} changed meanwhile; try again", field="date")
    await journal.record(
        conn,
        Change(
            "visits_recorded",
            actor,
            tally.library,
            f"visits:{tally.library}:{tally.date}",
            detail={
                "date": tally.date.isoformat(),
                "correction": tally.correction,
                "member_visits": member_visits - was.member_visits,
                "non_member_visits": non_member_visits - was.non_member_visits,
                "by_category": _difference(now_category, was_category),
                "by_gender": _difference(now_gender, was_gender),
            },
        ),
    )
    return VisitDay(
        tally.library,
        tally.date,
        member_visits,
        non_member_visits,
        member_visits + non_member_visits,
        now_category,
        now_gender,
        tallies,
        tally.correction,
    )


async def record_read(
    circulation: Circulation, staff: Staff, read: OnsiteRead, once: Once | None = None
) -> ReadRecorded:
    """One title read in the library without a loan (baca di tempat), named by a copy's barcode or an ISBN;
    a copy or title not seen at this desk yet is looked up in the catalogue first."""
    authorise(staff, Action.CIRCULATE, read.library)
    if (read.item_barcode is None) == (read.isbn13 is None):
        raise Invalid("read_target_invalid", "give exactly one of item_barcode and isbn13", field="item_barcode")
    today = circulation.clock.today()
    day = check_day(read.date or today, today)
    await ensure_library(circulation, read.library)
    if read.item_barcode is not None:
        seen = await circulation.replica.sight(read.item_barcode)
        if seen.library != read.library:
            raise Invalid(
                "item_other_library", f"copy {read.item_barcode} belongs to {seen.library}", field="item_barcode"
            )
        isbn13 = None
    else:
        isbn13 = clean_isbn13(read.isbn13 or "")
        await circulation.replica.sight_title(read.library, isbn13)
    return await circulation.write(
        lambda conn: _record_read(conn, read.library, day, read.item_barcode, isbn13, staff.username), once
    )


async def _record_read(
    conn: asyncpg.Connection, library: str, day: dt.date, barcode: str | None, isbn13: str | None, actor: str
) -> ReadRecorded:
    if barcode is not None:
        copy = await q.copy_facts(conn, barcode=barcode)
        if copy is None:
            raise not_held(library, f"copy {barcode}", "item_barcode")
    else:
        held = await copies_q.copies_of_title(conn, library=library, isbn13=isbn13)
        if not held:
            raise not_held(library, f"title with ISBN {isbn13}", "isbn13")
        copy = msgspec.convert(msgspec.structs.asdict(held[0]), q.CopyFacts)
    return await add_read(conn, library, day, copy, barcode, actor)


async def add_read(
    conn: asyncpg.Connection, library: str, day: dt.date, copy: q.CopyFacts, barcode: str | None, actor: str
) -> ReadRecorded:
    """The work of `record_read` inside a transaction: the read, with its title facts as of now."""
    row = await q.insert_read(
        conn,
        library=library,
        day=day,
        barcode=barcode,
        title_id=copy.title_id,
        isbn13=copy.isbn13,
        title=copy.title,
        ddc_class=copy.ddc_class,
        audience=copy.audience,
        category=copy.category,
        language=copy.language,
        actor=actor,
    )
    assert row is not None
    await journal.record(
        conn,
        Change(
            "read_onsite",
            actor,
            library,
            f"read:{row.id}",
            title=TitleFacts(
                copy.title_id, copy.isbn13, copy.ddc_class, copy.audience, copy.category, copy.language, barcode
            ),
            detail={"date": day.isoformat()},
        ),
    )
    return ReadRecorded(row.id, library, day, barcode, copy.isbn13, copy.title)


async def record_activity(
    circulation: Circulation, staff: Staff, activity: ActivityHeld, once: Once | None = None
) -> ActivityRecorded:
    """A literacy or community activity held by a library, with its participants."""
    authorise(staff, Action.CIRCULATE, activity.library)
    await ensure_library(circulation, activity.library)
    today = circulation.clock.today()
    return await circulation.write(lambda conn: add_activity(conn, activity, staff.username, today), once)


async def add_activity(
    conn: asyncpg.Connection, activity: ActivityHeld, actor: str, today: dt.date
) -> ActivityRecorded:
    """The work of `record_activity` inside a transaction."""
    check_day(activity.date, today)
    by_category = check_split(activity.by_category, activity.participants, "by_category")
    by_gender = check_split(activity.by_gender, activity.participants, "by_gender")
    row = await q.insert_activity(
        conn,
        library=activity.library,
        day=activity.date,
        title=activity.title.strip(),
        kind=activity.kind,
        participants=activity.participants,
        partner=activity.partner,
        by_category=json.dumps(by_category),
        by_gender=json.dumps(by_gender),
        actor=actor,
    )
    assert row is not None
    await journal.record(
        conn,
        Change(
            "activity_held",
            actor,
            activity.library,
            f"activity:{row.id}",
            detail={
                "date": activity.date.isoformat(),
                "participants": activity.participants,
                "kind": activity.kind,
                "by_category": by_category,
                "by_gender": by_gender,
            },
        ),
    )
    return ActivityRecorded(
        row.id,
        activity.library,
        activity.date,
        activity.title.strip(),
        activity.kind,
        activity.participants,
        activity.partner,
        by_category,
        by_gender,
    )


def not_held(library: str, what: str, field: str) -> NotFound:
    return NotFound(
        "item_not_found" if field == "item_barcode" else "title_not_held", f"{library} holds no {what}", field=field
    )


assert set(CATEGORIES) == {"anak", "remaja", "dewasa", "lansia"} and set(GENDERS) == {"L", "P"}
