"""Hold use cases: place and cancel a hold, expire uncollected ones, and `offer_copy`, the one way a copy
becomes free again (returned, found, released from the hold shelf): to the first in the queue, or the shelf."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import asyncpg
import msgspec

from pustaka.access import Action, Staff
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.sql import load
from pustaka.web import authorise
from services.circulation import journal, lending_area, policies
from services.circulation.domain import area
from services.circulation.domain import holds as rules
from services.circulation.domain.loans import MemberState, ensure_in_good_standing
from services.circulation.domain.members import category_of
from services.circulation.domain.policy import pickup_deadline
from services.circulation.domain.titles import MemberFacts, TitleFacts
from services.circulation.journal import Change

Q = load(__file__, "holds.sql")
L = load(__file__, "lending.sql")


class HoldWaiting(msgspec.Struct):
    """For the librarian at check-in: put this copy aside for this member."""

    hold_id: int
    member_number: str
    name: str | None
    """None for a member of another library (lending across a kabupaten): their details stay there."""
    pickup_by: dt.date


class Hold(msgspec.Struct):
    hold_id: int
    library: str
    isbn13: str
    title: str
    member_number: str
    status: str
    placed_at: dt.datetime
    position: int | None = None
    """1 for the next member to get a copy; None once a copy waits (or the hold is closed)."""
    item_barcode: str | None = None
    pickup_by: dt.date | None = None
    member_name: str | None = None
    """Filled in the desk's lists (the library's holds), for the librarian to call the member."""


def title_facts(row: asyncpg.Record, barcode: str | None = None) -> TitleFacts:
    """The title snapshot of a copy or hold row."""
    return TitleFacts(row["title_id"], row["isbn13"], row["ddc_class"], row["audience"], row["category"],
                      row["language"], barcode if barcode is not None else row.get("barcode"))


def holder_facts(row: asyncpg.Record, today: dt.date) -> MemberFacts:
    """The event-log facts of the member a loan or hold row names."""
    return MemberFacts(row["member_id"], category_of(row["birth_year"], today), row["gender"], row["disability"],
                       row["member_library"])


async def offer_copy(conn: asyncpg.Connection, actor: str, copy: asyncpg.Record,
                     today: dt.date) -> HoldWaiting | None:
    """Give a freed copy (locked by the caller) to the first member waiting for its title, or shelve it."""
    hold = await conn.fetchrow(Q.next_hold, copy["library_code"], copy["isbn13"]) if copy["isbn13"] else None
    if hold is None:
        await conn.execute(Q.set_copy_status, copy["barcode"], "available", "available")
        return None
    holder = holder_facts(hold, today)
    policy, calendar = await policies.policy_and_calendar(conn, copy["library_code"], holder.category, today)
    pickup_by = pickup_deadline(today, policy, calendar)
    await conn.execute(Q.trap_hold, hold["id"], copy["barcode"], pickup_by)
    # The catalogue has no "on the hold shelf" status; the copy is in the building, so it says available.
    await conn.execute(Q.set_copy_status, copy["barcode"], "awaiting_pickup", "available")
    await journal.record(conn, Change("hold_awaiting_pickup", actor, copy["library_code"], f"hold:{hold['id']}",
                                      member=holder, title=title_facts(copy, copy["barcode"]), hold_id=hold["id"],
                                      detail={"pickup_by": pickup_by.isoformat()}))
    return HoldWaiting(hold["id"], hold["member_number"],
                       area.visible_name(copy["library_code"], hold["member_library"], hold["name"]), pickup_by)


def _hold(row: asyncpg.Record, position: int | None = None) -> Hold:
    return Hold(row["id"], row["library_code"], row["isbn13"], row["title"], row["member_number"], row["status"],
                row["placed_at"], position, row["barcode"], row["pickup_by"])


async def place_hold(conn: asyncpg.Connection, staff: Staff, *, isbn13: str, member_number: str, library: str,
                     today: dt.date) -> Hold:
    """Put a member in the queue for a title at a library; a copy on the shelf is set aside at once."""
    authorise(staff, Action.CIRCULATE, library)
    copies = await conn.fetch(Q.copies_of_title_for_update, library, isbn13)
    if not copies:
        raise Invalid("title_not_held", f"library {library} holds no copy of {isbn13}", field="isbn13")
    member = await conn.fetchrow(L.member_for_loan, member_number, today)
    whole_kabupaten = await lending_area.whole_kabupaten(conn, library)
    if member is None:
        raise area.refuse_unknown(library, member_number, whole_kabupaten) or \
            Invalid("member_not_found", f"no member has number {member_number}", field="member_number")
    area.ensure_serves(library, member["library_code"], whole_kabupaten)
    ensure_in_good_standing(MemberState(member["id"], member["status"], member["expires_on"]), today)
    facts = MemberFacts(member["id"], category_of(member["birth_year"], today), member["gender"],
                        member["disability"], member["library_code"])
    policy, calendar = await policies.policy_and_calendar(conn, library, facts.category, today)
    if not policy.holds_allowed:
        raise Conflict("holds_not_allowed", f"members of category {facts.category} may not place holds here",
                       field="member_number")
    if await conn.fetchval(Q.title_on_loan_to, member["id"], library, isbn13):
        raise Conflict("title_already_on_loan", "the member already has a copy of this title on loan",
                       field="isbn13")
    first = copies[0]
    try:
        placed = await conn.fetchrow(Q.insert_hold, library, isbn13, first["title_id"], first["title"],
                                     first["ddc_class"], first["audience"], first["category"], first["language"],
                                     member["id"], staff.username)
    except asyncpg.UniqueViolationError:
        raise Conflict("hold_already_placed", "the member already has an open hold on this title here",
                       field="isbn13") from None
    title = title_facts(first, None)
    await journal.record(conn, Change("hold_placed", staff.username, library, f"hold:{placed['id']}",
                                      member=facts, title=title, hold_id=placed["id"]))
    hold = Hold(placed["id"], library, isbn13, first["title"], member_number, rules.NOT_YET_FILLED,
                placed["placed_at"])
    shelf = next((c for c in copies if c["status"] == "available"), None)
    waiting = await offer_copy(conn, staff.username, shelf, today) if shelf is not None else None
    if waiting is not None and waiting.hold_id == hold.hold_id:
        return msgspec.structs.replace(hold, status=rules.AWAITING_PICKUP, item_barcode=shelf["barcode"],
                                       pickup_by=waiting.pickup_by)
    position = await conn.fetchval(Q.queue_position, library, isbn13, placed["placed_at"], placed["id"])
    return msgspec.structs.replace(hold, position=position)


async def _close(conn: asyncpg.Connection, actor: str, hold_id: int, status: str, event: str, today: dt.date,
                 applies: Callable[[rules.HoldState], bool], staff: Staff | None = None) -> Hold | None:
    """Close a hold when `applies` to it once locked; its copy on the hold shelf goes to the next in queue."""
    seen = await conn.fetchrow(Q.hold, hold_id)
    if seen is None:
        raise NotFound("hold_not_found", f"no hold has id {hold_id}", field="hold_id")
    if staff is not None:
        authorise(staff, Action.CIRCULATE, seen["library_code"])
    # Copy before hold: the order check-out locks them in.
    copy = await conn.fetchrow(Q.copy_for_update, seen["barcode"]) if seen["barcode"] else None
    row = await conn.fetchrow(Q.hold_for_update, hold_id)
    if not applies(rules.HoldState(row["id"], row["member_id"], row["status"], row["pickup_by"])):
        return None
    if await conn.fetchval(Q.close_hold, hold_id, status) is None:
        return None
    await journal.record(conn, Change(event, actor, row["library_code"], f"hold:{hold_id}",
                                      member=holder_facts(row, today), title=title_facts(row), hold_id=hold_id))
    if copy is not None and row["status"] == rules.AWAITING_PICKUP and row["barcode"] == copy["barcode"]:
        await offer_copy(conn, actor, copy, today)
    return msgspec.structs.replace(_hold(row), status=status, position=None)


def _cancellable(hold: rules.HoldState) -> bool:
    rules.ensure_can_cancel(hold)
    return True


async def cancel_hold(conn: asyncpg.Connection, staff: Staff, hold_id: int, *, today: dt.date) -> Hold:
    """Cancel an open hold at the member's request."""
    closed = await _close(conn, staff.username, hold_id, rules.CANCELLED, "hold_cancelled", today, _cancellable,
                          staff)
    assert closed is not None
    return closed


async def expire_holds(conn: asyncpg.Connection, *, actor: str, today: dt.date) -> list[int]:
    """Close the holds whose copy waited past its pickup day; each copy goes to the next in the queue."""
    expired = []
    for due in await conn.fetch(Q.expired_pickups, today):
        closed = await _close(conn, actor, due["id"], rules.PICKUP_EXPIRED, "hold_expired", today,
                              lambda hold: rules.pickup_expired(hold, today))
        if closed is not None:
            expired.append(due["id"])
    return expired
