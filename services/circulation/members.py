"""Member use cases: register, edit, suspend, reinstate, renew a membership, import a member list.
Each is one function and one transaction: load, decide (domain), write, journal."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from pustaka.access import Action, Staff
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.sql import load
from pustaka.web import authorise
from services.circulation import journal
from services.circulation.domain import member_list
from services.circulation.domain.members import (
    MEMBERSHIP_YEARS,
    add_years,
    category_of,
    check_birth_year,
    member_number,
    renewed_expiry,
)
from services.circulation.domain.titles import MemberFacts
from services.circulation.journal import Change

Q = load(__file__, "members.sql")


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


class ImportReport(msgspec.Struct):
    library: str
    rows: int
    imported: int
    member_numbers: list[str]
    rejected: list[member_list.RowRejection]


def member_of(row: asyncpg.Record, today: dt.date) -> Member:
    """The answer Struct of a member row."""
    return Member(row["member_number"], row["name"], row["library_code"], row["birth_year"],
                  category_of(row["birth_year"], today), row["gender"], row["disability"], row["contact"],
                  row["status"], row["suspended_reason"], row["registered_on"], row["expires_on"])


def facts_of(row: asyncpg.Record, today: dt.date) -> MemberFacts:
    """What the event log may keep of a member row."""
    return MemberFacts(row["id"], category_of(row["birth_year"], today), row["gender"], row["disability"],
                       row["library_code"])


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name_invalid", "the name is empty", field="name")
    return cleaned


async def register_member(conn: asyncpg.Connection, staff: Staff, *, name: str, library: str, birth_year: int,
                          gender: str, disability: bool, contact: str | None, today: dt.date) -> Member:
    """Register a member of `library` with the next member number of that library."""
    authorise(staff, Action.CIRCULATE, library)
    check_birth_year(birth_year, today)
    sequence = await conn.fetchval(Q.next_member_numbers, library, 1)
    row = await conn.fetchrow(Q.insert_member, member_number(library, sequence), library, _name(name), birth_year,
                              gender, disability, contact or None, today, add_years(today, MEMBERSHIP_YEARS),
                              staff.username)
    await journal.record(conn, Change("member_registered", staff.username, library, f"member:{row['id']}",
                                      member=facts_of(row, today)))
    return member_of(row, today)


async def _locked(conn: asyncpg.Connection, staff: Staff, number: str) -> asyncpg.Record:
    row = await conn.fetchrow(Q.member_for_update, number)
    if row is None:
        raise NotFound("member_not_found", f"no member has number {number}", field="member_number")
    authorise(staff, Action.CIRCULATE, row["library_code"])
    return row


async def _save(conn: asyncpg.Connection, staff: Staff, row: asyncpg.Record, event: str, today: dt.date,
                detail: dict | None = None, **changes) -> Member:
    values = {k: row[k] for k in ("name", "birth_year", "gender", "disability", "contact", "status",
                                  "suspended_reason", "expires_on")} | changes
    updated = await conn.fetchrow(Q.update_member, row["id"], *values.values())
    await journal.record(conn, Change(event, staff.username, row["library_code"], f"member:{row['id']}",
                                      member=facts_of(updated, today), detail=detail or {}))
    return member_of(updated, today)


async def edit_member(conn: asyncpg.Connection, staff: Staff, number: str, *, today: dt.date,
                      **changes) -> Member:
    """Correct a member's name, birth year, gender, disability flag or contact."""
    row = await _locked(conn, staff, number)
    if "name" in changes:
        changes["name"] = _name(changes["name"])
    if "birth_year" in changes:
        check_birth_year(changes["birth_year"], today)
    return await _save(conn, staff, row, "member_updated", today, {"fields": sorted(changes)}, **changes)


async def suspend_member(conn: asyncpg.Connection, staff: Staff, number: str, *, reason: str,
                         today: dt.date) -> Member:
    """Suspend a member: no loans, renewals or holds until reinstated."""
    row = await _locked(conn, staff, number)
    if row["status"] == "suspended":
        raise Conflict("member_suspended", f"member {number} is already suspended", field="member_number")
    return await _save(conn, staff, row, "member_suspended", today, status="suspended", suspended_reason=reason)


async def reinstate_member(conn: asyncpg.Connection, staff: Staff, number: str, *, today: dt.date) -> Member:
    """Lift a suspension."""
    row = await _locked(conn, staff, number)
    if row["status"] != "suspended":
        raise Conflict("member_not_suspended", f"member {number} is not suspended", field="member_number")
    return await _save(conn, staff, row, "member_reinstated", today, status="active", suspended_reason=None)


async def renew_membership(conn: asyncpg.Connection, staff: Staff, number: str, *, years: int,
                           today: dt.date) -> Member:
    """Extend a membership by `years` from its expiry (or from today when it has lapsed)."""
    row = await _locked(conn, staff, number)
    expires = renewed_expiry(row["expires_on"], today, years)
    return await _save(conn, staff, row, "membership_renewed", today, {"years": years}, expires_on=expires)


async def import_members(conn: asyncpg.Connection, staff: Staff, *, library: str, data: bytes, source_name: str,
                         today: dt.date) -> ImportReport:
    """Import a member list: the valid rows become members (numbers in row order), the others are reported."""
    authorise(staff, Action.CIRCULATE, library)
    valid, rejected, rows = member_list.check_list(data, today)
    numbers: list[str] = []
    if valid:
        last = await conn.fetchval(Q.next_member_numbers, library, len(valid))
        numbers = [member_number(library, n) for n in range(last - len(valid) + 1, last + 1)]
        inserted = await conn.fetch(
            Q.insert_members, library, today, add_years(today, MEMBERSHIP_YEARS), staff.username, numbers,
            [r.name for r in valid], [r.birth_year for r in valid], [r.gender for r in valid],
            [r.disability for r in valid], [r.contact for r in valid])
        await journal.record_registrations(conn, staff.username, library, [
            MemberFacts(r["id"], category_of(r["birth_year"], today), r["gender"], r["disability"], library)
            for r in inserted], source_name)
    return ImportReport(library, rows, len(valid), numbers, rejected)
