"""Member use cases: register, edit, suspend, reinstate, renew a membership, import a member list, look a
member up. Each is one function that owns its unit of work (see `service.py`) and authorises once: load,
decide (domain), write, journal."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import asyncpg
import msgspec

from kernel.dates import add_years
from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.circulation import journal, views
from services.circulation.clients.catalog import CatalogUnreachable
from services.circulation.domain import member_list
from services.circulation.domain.members import (
    MEMBERSHIP_YEARS,
    category_of,
    check_birth_year,
    member_number,
    renewed_expiry,
)
from services.circulation.domain.titles import MemberFacts
from services.circulation.journal import Change
from services.circulation.queries import members as q
from services.circulation.queries.views import MemberRow
from services.circulation.service import Circulation
from services.circulation.wire import LibraryCode

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
BirthYear = Annotated[int, msgspec.Meta(ge=1900, le=2200)]
Contact = Annotated[str, msgspec.Meta(max_length=200)]


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    library: LibraryCode
    birth_year: BirthYear
    gender: Literal["L", "P"]
    disability: bool = False
    contact: Contact | None = None


class Correction(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields given change."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    birth_year: BirthYear | msgspec.UnsetType = msgspec.UNSET
    gender: Literal["L", "P"] | msgspec.UnsetType = msgspec.UNSET
    disability: bool | msgspec.UnsetType = msgspec.UNSET
    contact: Contact | None | msgspec.UnsetType = msgspec.UNSET


class Suspension(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class MembershipRenewal(msgspec.Struct, forbid_unknown_fields=True):
    years: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3


class MemberList(msgspec.Struct):
    """A member list to import: a CSV or XLSX file's bytes, for one library."""

    library: str
    data: bytes
    source_name: str


class Member(msgspec.Struct):
    """A member as the desk sees it (personal data: only for the library's staff)."""

    member_number: str
    name: str
    library: str
    birth_year: int
    category: str
    gender: str
    disability: bool
    contact: str | None
    status: str
    suspended_reason: str | None
    registered_on: dt.date
    expires_on: dt.date


class MemberPage(msgspec.Struct):
    members: list[Member]
    total: int
    page: int
    per_page: int


class MemberShown(msgspec.Struct):
    """A member and their open loans (the command line's `member show`)."""

    member: Member
    open_loans: list[views.LoanView]


class ImportReport(msgspec.Struct):
    library: str
    rows: int
    imported: int
    member_numbers: list[str]
    rejected: list[member_list.RowRejection]


def member_of(row: MemberRow, today: dt.date) -> Member:
    """The answer Struct of a member row."""
    return Member(
        row.member_number,
        row.name,
        row.library_code,
        row.birth_year,
        category_of(row.birth_year, today),
        row.gender,
        row.disability,
        row.contact,
        row.status,
        row.suspended_reason,
        row.registered_on,
        row.expires_on,
    )


def facts_of(row: MemberRow, today: dt.date) -> MemberFacts:
    """What the event log may keep of a member row."""
    return MemberFacts(row.id, category_of(row.birth_year, today), row.gender, row.disability, row.library_code)


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name_invalid", "the name is empty", field="name")
    return cleaned


async def _known_library(circulation: Circulation, code: str) -> None:
    """A library the catalogue knows; a well-formed code is taken on trust while the catalogue is away."""
    try:
        known = await circulation.catalog.library_exists(code)
    except CatalogUnreachable:
        return
    if not known:
        raise Invalid("library_not_found", f"no library has the code '{code}'", field="library")


async def register_member(
    circulation: Circulation, staff: Staff, order: Registration, once: Once | None = None
) -> Member:
    """Register a member of a library with the next member number of that library."""
    authorise(staff, Action.CIRCULATE, order.library)
    await _known_library(circulation, order.library)
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> Member:
        check_birth_year(order.birth_year, today)
        sequence = await q.next_member_numbers(conn, library=order.library, count=1)
        assert sequence is not None  # an upsert … RETURNING gives its row
        row = await q.insert_member(
            conn,
            member_number=member_number(order.library, sequence),
            library=order.library,
            name=_name(order.name),
            birth_year=order.birth_year,
            gender=order.gender,
            disability=order.disability,
            contact=order.contact or None,
            registered_on=today,
            expires_on=add_years(today, MEMBERSHIP_YEARS),
            actor=staff.username,
        )
        assert row is not None
        await journal.record(
            conn,
            Change("member_registered", staff.username, order.library, f"member:{row.id}", member=facts_of(row, today)),
        )
        return member_of(row, today)

    return await circulation.write(work, once)


async def _locked(conn: asyncpg.Connection, staff: Staff, number: str) -> MemberRow:
    row = await q.member_for_update(conn, member_number=number)
    if row is None:
        raise NotFound("member_not_found", f"no member has number {number}", field="member_number")
    authorise(staff, Action.CIRCULATE, row.library_code)
    return row


async def _save(
    conn: asyncpg.Connection,
    staff: Staff,
    row: MemberRow,
    event: str,
    today: dt.date,
    detail: dict | None = None,
    **changes: Any,
) -> Member:
    values = {
        k: getattr(row, k)
        for k in ("name", "birth_year", "gender", "disability", "contact", "status", "suspended_reason", "expires_on")
    } | changes
    updated = await q.update_member(conn, id=row.id, **values)
    assert updated is not None  # the row is locked
    await journal.record(
        conn,
        Change(
            event,
            staff.username,
            row.library_code,
            f"member:{row.id}",
            member=facts_of(updated, today),
            detail=detail or {},
        ),
    )
    return member_of(updated, today)


async def _change(circulation: Circulation, staff: Staff, number: str, once: Once | None, decide: Any) -> Member:
    """One change to one member: lock the member, authorise for their library, `decide(conn, row, today)`."""
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> Member:
        return await decide(conn, await _locked(conn, staff, number), today)

    return await circulation.write(work, once)


async def edit_member(
    circulation: Circulation, staff: Staff, number: str, correction: Correction, once: Once | None = None
) -> Member:
    """Correct a member's name, birth year, gender, disability flag or contact; only the fields given change."""
    changes = {k: v for k, v in msgspec.structs.asdict(correction).items() if v is not msgspec.UNSET}

    async def decide(conn: asyncpg.Connection, row: MemberRow, today: dt.date) -> Member:
        if "name" in changes:
            changes["name"] = _name(changes["name"])
        if "birth_year" in changes:
            check_birth_year(changes["birth_year"], today)
        return await _save(conn, staff, row, "member_updated", today, {"fields": sorted(changes)}, **changes)

    return await _change(circulation, staff, number, once, decide)


async def suspend_member(
    circulation: Circulation, staff: Staff, number: str, suspension: Suspension, once: Once | None = None
) -> Member:
    """Suspend a member: no loans, renewals or holds until reinstated."""

    async def decide(conn: asyncpg.Connection, row: MemberRow, today: dt.date) -> Member:
        if row.status == "suspended":
            raise Conflict("member_suspended", f"member {number} is already suspended", field="member_number")
        return await _save(
            conn, staff, row, "member_suspended", today, status="suspended", suspended_reason=suspension.reason
        )

    return await _change(circulation, staff, number, once, decide)


async def reinstate_member(circulation: Circulation, staff: Staff, number: str, once: Once | None = None) -> Member:
    """Lift a suspension."""

    async def decide(conn: asyncpg.Connection, row: MemberRow, today: dt.date) -> Member:
        if row.status != "suspended":
            raise Conflict("member_not_suspended", f"member {number} is not suspended", field="member_number")
        return await _save(conn, staff, row, "member_reinstated", today, status="active", suspended_reason=None)

    return await _change(circulation, staff, number, once, decide)


async def renew_membership(
    circulation: Circulation, staff: Staff, number: str, renewal: MembershipRenewal, once: Once | None = None
) -> Member:
    """Extend a membership by `years` from its expiry (or from today when it has lapsed)."""

    async def decide(conn: asyncpg.Connection, row: MemberRow, today: dt.date) -> Member:
        expires = renewed_expiry(row.expires_on, today, renewal.years)
        return await _save(conn, staff, row, "membership_renewed", today, {"years": renewal.years}, expires_on=expires)

    return await _change(circulation, staff, number, once, decide)


async def import_members(
    circulation: Circulation, staff: Staff, upload: MemberList, once: Once | None = None
) -> ImportReport:
    """Import a member list: the valid rows become members (numbers in row order), the others are reported."""
    library = upload.library
    authorise(staff, Action.CIRCULATE, library)
    await _known_library(circulation, library)
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> ImportReport:
        valid, rejected, rows = member_list.check_list(upload.data, today)
        numbers: list[str] = []
        if valid:
            last = await q.next_member_numbers(conn, library=library, count=len(valid))
            assert last is not None
            numbers = [member_number(library, n) for n in range(last - len(valid) + 1, last + 1)]
            inserted = await q.insert_members(
                conn,
                library=library,
                registered_on=today,
                expires_on=add_years(today, MEMBERSHIP_YEARS),
                actor=staff.username,
                member_numbers=numbers,
                names=[r.name for r in valid],
                birth_years=[r.birth_year for r in valid],
                genders=[r.gender for r in valid],
                disabilities=[r.disability for r in valid],
                contacts=[r.contact for r in valid],
            )
            await journal.record_registrations(
                conn,
                staff.username,
                library,
                [
                    MemberFacts(r.id, category_of(r.birth_year, today), r.gender, r.disability, library)
                    for r in inserted
                ],
                upload.source_name,
            )
        return ImportReport(library, rows, len(valid), numbers, rejected)

    return await circulation.write(work, once)


async def member(circulation: Circulation, staff: Staff, number: str) -> Member:
    """A member, for the staff of the member's library."""
    row = await circulation.read(lambda conn: views.member_row(conn, number))
    authorise(staff, Action.CIRCULATE, row.library_code)
    return member_of(row, circulation.clock.today())


async def show_member(circulation: Circulation, staff: Staff, number: str) -> MemberShown:
    """A member and their open loans."""
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> MemberShown:
        row = await views.member_row(conn, number)
        authorise(staff, Action.CIRCULATE, row.library_code)
        return MemberShown(member_of(row, today), await views.member_loans(conn, row.id, "open"))

    return await circulation.read(work)


async def library_members(
    circulation: Circulation, staff: Staff, library: str, search: str | None, page: int, per_page: int
) -> MemberPage:
    """A library's members by name (`search`: part of a name, or a member number), one page."""
    authorise(staff, Action.CIRCULATE, library)
    found = await circulation.read(lambda conn: views.members(conn, library, search, per_page, (page - 1) * per_page))
    today = circulation.clock.today()
    return MemberPage([member_of(r, today) for r in found], found[0].total if found else 0, page, per_page)
