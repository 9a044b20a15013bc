"""Hold use cases: place and cancel a hold, list the queues, expire uncollected holds, and `offer_copy`, the
one way a copy becomes free again (returned, found, repaired, released from the hold shelf): to the first in
the queue, or the shelf. Each use case owns its unit of work (see `service.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.circulation import journal, lending_area, policies, views
from services.circulation.domain import area
from services.circulation.domain import holds as rules
from services.circulation.domain.loans import MemberState, ensure_in_good_standing
from services.circulation.domain.members import category_of
from services.circulation.domain.policy import pickup_deadline
from services.circulation.domain.titles import MemberFacts, TitleFacts, clean_isbn13
from services.circulation.journal import Change
from services.circulation.queries import holds as q
from services.circulation.queries import shelf
from services.circulation.service import Circulation
from services.circulation.views import Hold, HoldWaiting
from services.circulation.wire import Isbn, LibraryCode, MemberNumber


class HoldRequest(msgspec.Struct, forbid_unknown_fields=True):
    isbn13: Isbn
    member_number: MemberNumber
    library: LibraryCode


class Titled(Protocol):
    """A row that carries a title's facts (a copy, a loan, a hold)."""

    @property
    def title_id(self) -> int | None: ...
    @property
    def isbn13(self) -> str | None: ...
    @property
    def ddc_class(self) -> str | None: ...
    @property
    def audience(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...


class FreedCopy(Titled, Protocol):
    """A copy, locked by the caller, that is free again."""

    @property
    def barcode(self) -> str: ...
    @property
    def library_code(self) -> str: ...


class Holder(Protocol):
    """A row that names a member (a loan's borrower, a hold's member)."""

    @property
    def member_id(self) -> int: ...
    @property
    def birth_year(self) -> int: ...
    @property
    def gender(self) -> str: ...
    @property
    def disability(self) -> bool: ...
    @property
    def member_library(self) -> str: ...


def title_facts(row: Titled, barcode: str | None) -> TitleFacts:
    """The title snapshot of a copy, loan or hold row."""
    return TitleFacts(row.title_id, row.isbn13, row.ddc_class, row.audience, row.category, row.language, barcode)


def holder_facts(row: Holder, today: dt.date) -> MemberFacts:
    """The event-log facts of the member a loan or hold row names."""
    return MemberFacts(
        row.member_id, category_of(row.birth_year, today), row.gender, row.disability, row.member_library
    )


async def offer_copy(conn: asyncpg.Connection, actor: str, copy: FreedCopy, today: dt.date) -> HoldWaiting | None:
    """Give a freed copy (locked by the caller) to the first member waiting for its title, or shelve it."""
    hold = await shelf.next_hold(conn, library=copy.library_code, isbn13=copy.isbn13) if copy.isbn13 else None
    if hold is None:
        await shelf.set_copy_status(conn, barcode=copy.barcode, status="available", catalog_status="available")
        return None
    holder = holder_facts(hold, today)
    policy, calendar = await policies.policy_and_calendar(conn, copy.library_code, holder.category, today)
    pickup_by = pickup_deadline(today, policy, calendar)
    await shelf.trap_hold(conn, hold_id=hold.id, barcode=copy.barcode, pickup_by=pickup_by)
    # The catalogue has no "on the hold shelf" status; the copy is in the building, so it says available.
    await shelf.set_copy_status(conn, barcode=copy.barcode, status="awaiting_pickup", catalog_status="available")
    await journal.record(
        conn,
        Change(
            "hold_awaiting_pickup",
            actor,
            copy.library_code,
            f"hold:{hold.id}",
            member=holder,
            title=title_facts(copy, copy.barcode),
            hold_id=hold.id,
            detail={"pickup_by": pickup_by.isoformat()},
        ),
    )
    return HoldWaiting(
        hold.id, hold.member_number, area.visible_name(copy.library_code, hold.member_library, hold.name), pickup_by
    )


def _hold(row: q.HoldRow) -> Hold:
    return Hold(
        row.id,
        row.library_code,
        row.isbn13,
        row.title,
        row.member_number,
        row.status,
        row.placed_at,
        None,
        row.barcode,
        row.pickup_by,
    )


async def place_hold(circulation: Circulation, staff: Staff, order: HoldRequest, once: Once | None = None) -> Hold:
    """Put a member in the queue for a title at a library; a copy on the shelf is set aside at once. The
    library's copies of the title are looked up in the catalogue first (the replica may not know them yet)."""
    authorise(staff, Action.CIRCULATE, order.library)
    isbn13 = clean_isbn13(order.isbn13)
    await circulation.replica.sight_title(order.library, isbn13)
    today = circulation.clock.today()
    return await circulation.write(
        lambda conn: _place_hold(conn, staff, isbn13, order.member_number, order.library, today), once
    )


async def _place_hold(
    conn: asyncpg.Connection, staff: Staff, isbn13: str, member_number: str, library: str, today: dt.date
) -> Hold:
    copies = await q.copies_of_title_for_update(conn, library=library, isbn13=isbn13)
    if not copies:
        raise Invalid("title_not_held", f"library {library} holds no copy of {isbn13}", field="isbn13")
    member = await q.member_for_hold(conn, member_number=member_number)
    whole_kabupaten = await lending_area.whole_kabupaten(conn, library)
    if member is None:
        raise area.refuse_unknown(library, member_number, whole_kabupaten) or Invalid(
            "member_not_found", f"no member has number {member_number}", field="member_number"
        )
    area.ensure_serves(library, member.library_code, whole_kabupaten)
    ensure_in_good_standing(MemberState(member.id, member.status, member.expires_on), today)
    facts = MemberFacts(
        member.id, category_of(member.birth_year, today), member.gender, member.disability, member.library_code
    )
    policy, _ = await policies.policy_and_calendar(conn, library, facts.category, today)
    if not policy.holds_allowed:
        raise Conflict(
            "holds_not_allowed", f"members of category {facts.category} may not place holds here", field="member_number"
        )
    if await q.title_on_loan_to(conn, member_id=member.id, library=library, isbn13=isbn13):
        raise Conflict("title_already_on_loan", "the member already has a copy of this title on loan", field="isbn13")
    first = copies[0]
    try:
        placed = await q.insert_hold(
            conn,
            library=library,
            isbn13=isbn13,
            title_id=first.title_id,
            title=first.title,
            ddc_class=first.ddc_class,
            audience=first.audience,
            category=first.category,
            language=first.language,
            member_id=member.id,
            actor=staff.username,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(
            "hold_already_placed", "the member already has an open hold on this title here", field="isbn13"
        ) from None
    assert placed is not None  # an INSERT … RETURNING gives its row
    await journal.record(
        conn,
        Change(
            "hold_placed",
            staff.username,
            library,
            f"hold:{placed.id}",
            member=facts,
            title=title_facts(first, None),
            hold_id=placed.id,
        ),
    )
    hold = Hold(placed.id, library, isbn13, first.title, member_number, rules.NOT_YET_FILLED, placed.placed_at)
    on_shelf = next((c for c in copies if c.status == "available"), None)
    waiting = await offer_copy(conn, staff.username, on_shelf, today) if on_shelf is not None else None
    if on_shelf is not None and waiting is not None and waiting.hold_id == hold.hold_id:
        return msgspec.structs.replace(
            hold, status=rules.AWAITING_PICKUP, item_barcode=on_shelf.barcode, pickup_by=waiting.pickup_by
        )
    position = await q.queue_position(
        conn, library=library, isbn13=isbn13, placed_at=placed.placed_at, hold_id=placed.id
    )
    return msgspec.structs.replace(hold, position=position)


async def _close(
    conn: asyncpg.Connection,
    actor: str,
    hold_id: int,
    status: str,
    event: str,
    today: dt.date,
    applies: Callable[[rules.HoldState], bool],
    staff: Staff | None = None,
) -> Hold | None:
    """Close a hold when `applies` to it once locked; its copy on the hold shelf goes to the next in queue."""
    seen = await q.hold(conn, hold_id=hold_id)
    if seen is None:
        raise NotFound("hold_not_found", f"no hold has id {hold_id}", field="hold_id")
    if staff is not None:
        authorise(staff, Action.CIRCULATE, seen.library_code)
    # Copy before hold: the order check-out locks them in.
    copy = await shelf.copy_for_update(conn, barcode=seen.barcode) if seen.barcode else None
    row = await q.hold_for_update(conn, hold_id=hold_id)
    assert row is not None  # holds are closed, never deleted
    if not applies(rules.HoldState(row.id, row.member_id, row.status, row.pickup_by)):
        return None
    if await q.close_hold(conn, hold_id=hold_id, status=status) is None:
        return None
    await journal.record(
        conn,
        Change(
            event,
            actor,
            row.library_code,
            f"hold:{hold_id}",
            member=holder_facts(row, today),
            title=title_facts(row, row.barcode),
            hold_id=hold_id,
        ),
    )
    if copy is not None and row.status == rules.AWAITING_PICKUP and row.barcode == copy.barcode:
        await offer_copy(conn, actor, copy, today)
    return msgspec.structs.replace(_hold(row), status=status, position=None)


def _cancellable(hold: rules.HoldState) -> bool:
    rules.ensure_can_cancel(hold)
    return True


async def cancel_hold(circulation: Circulation, staff: Staff, hold_id: int, once: Once | None = None) -> Hold:
    """Cancel an open hold at the member's request; a copy waiting for it goes to the next in the queue."""
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> Hold:
        closed = await _close(
            conn, staff.username, hold_id, rules.CANCELLED, "hold_cancelled", today, _cancellable, staff
        )
        assert closed is not None  # _cancellable refuses instead of skipping
        return closed

    return await circulation.write(work, once)


async def expire_holds(circulation: Circulation, actor: str) -> list[int]:
    """Close the holds whose copy waited past its pickup day (by the circulation's clock); each copy goes to
    the next in the queue. One transaction for the round."""
    today = circulation.clock.today()

    async def work(conn: asyncpg.Connection) -> list[int]:
        expired = []
        for due in await q.expired_pickups(conn, today=today):
            closed = await _close(
                conn,
                actor,
                due.id,
                rules.PICKUP_EXPIRED,
                "hold_expired",
                today,
                lambda hold: rules.pickup_expired(hold, today),
            )
            if closed is not None:
                expired.append(due.id)
        return expired

    return await circulation.write(work)


async def library_holds(circulation: Circulation, staff: Staff, library: str, status: str | None) -> list[Hold]:
    """A library's holds by title in queue order; `status` filters (e.g. open-awaiting-pickup)."""
    authorise(staff, Action.CIRCULATE, library)
    if status is not None and status not in rules.STATUSES:
        raise Invalid("status_invalid", f"status must be one of {', '.join(rules.STATUSES)}", field="status")
    return await circulation.read(lambda conn: views.holds(conn, library, status))


async def member_holds(circulation: Circulation, staff: Staff, member_number: str) -> list[Hold]:
    """A member's holds, open and closed, with their place in the queue."""

    async def work(conn: asyncpg.Connection) -> list[Hold]:
        member = await views.member_row(conn, member_number)
        authorise(staff, Action.CIRCULATE, member.library_code)
        return await views.holds(conn, None, None, member.id)

    return await circulation.read(work)
