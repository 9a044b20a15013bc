"""Lending use cases: check out, check in, renew, mark lost, mark found.

Each use case is one function that owns its unit of work (see `service.py`): it takes the date from the
service's clock, runs one transaction (lock the copy, load the facts, let the domain decide, write, journal),
and is called the same way by the desk's HTTP handlers and by the command line."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, Forbidden, Invalid, NotFound
from pustaka.unit_of_work import Once
from services.circulation import journal, policies, views
from services.circulation.domain import area
from services.circulation.domain import loans as rules
from services.circulation.domain.members import category_of
from services.circulation.domain.policy import due_date, fine, late_days, renewed_due_date
from services.circulation.domain.titles import MemberFacts
from services.circulation.holds import HoldWaiting, holder_facts, offer_copy, title_facts
from services.circulation.journal import Change
from services.circulation.queries import lending as q
from services.circulation.queries import shelf
from services.circulation.service import Circulation, CopyNotSeen
from services.circulation.wire import Barcode, MemberNumber


class CheckOut(msgspec.Struct, forbid_unknown_fields=True):
    item_barcode: Barcode
    member_number: MemberNumber


class CopyScan(msgspec.Struct, forbid_unknown_fields=True):
    """A copy scanned at the desk: to check it in, or to renew its loan."""

    item_barcode: Barcode


class Loan(msgspec.Struct):
    loan_id: int
    item_barcode: str
    member_number: str
    due_date: dt.date
    loaned_at: dt.datetime
    library: str
    title: str
    call_number: str
    max_renewals: int
    hold_filled: int | None = None
    member_name: str = ""


class Return(msgspec.Struct):
    loan_id: int
    item_barcode: str
    returned_at: dt.datetime
    late_days: int
    fine: int
    title: str
    hold_waiting: HoldWaiting | None
    member_number: str = ""
    """The borrower, so the desk's answer names who brought the book back."""
    member_name: str = ""


class Renewal(msgspec.Struct):
    loan_id: int
    item_barcode: str
    due_date: dt.date
    previous_due_date: dt.date
    renewals: int
    renewals_left: int
    title: str = ""
    member_number: str = ""
    member_name: str = ""


class ItemState(msgspec.Struct):
    item_barcode: str
    status: str
    loan_id: int | None = None
    hold_waiting: HoldWaiting | None = None


def authorise_copy(staff: Staff, library: str) -> None:
    """A librarian who scans another library's copy is told whose copy it is, not that they lack rights
    (which sounds like a login problem); the handler adds the library's name."""
    if staff.role == "librarian" and library != staff.scope:
        raise Forbidden(
            "item_of_other_library",
            f"this copy belongs to library {library}",
            field="item_barcode",
            extra={"library": library},
        )
    authorise(staff, Action.CIRCULATE, library)


def _not_on_loan(barcode: str, status: str) -> Conflict:
    return Conflict(
        "item_not_on_loan",
        f"copy {barcode} is not on loan (it is {status})",
        field="item_barcode",
        extra={"item_status": status},
    )


async def check_out(circulation: Circulation, staff: Staff, order: CheckOut, once: Once | None = None) -> Loan:
    """Lend a copy to a member, or refuse with the first reason that applies."""
    today = circulation.clock.today()
    return await circulation.write_on_copy(
        order.item_barcode, lambda conn: _check_out(conn, staff, order.item_barcode, order.member_number, today), once
    )


async def _check_out(conn: asyncpg.Connection, staff: Staff, barcode: str, member_number: str, today: dt.date) -> Loan:
    facts = await q.checkout_facts(conn, barcode=barcode, member_number=member_number, today=today)
    if facts is None:
        raise CopyNotSeen("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    library = facts.library_code
    authorise_copy(staff, library)
    borrower = facts.borrower()
    if borrower is None:
        raise area.refuse_unknown(library, member_number, facts.whole_kabupaten) or Invalid(
            "member_not_found", f"no member has number {member_number}", field="member_number"
        )
    area.ensure_serves(library, borrower.member_library, facts.whole_kabupaten)
    member = MemberFacts(
        borrower.member_id,
        category_of(borrower.birth_year, today),
        borrower.gender,
        borrower.disability,
        borrower.member_library,
    )
    policy, calendar = policies.from_facts(facts.policies, member.category, facts.closed_weekdays, facts.closed_dates)
    rules.ensure_can_check_out(
        rules.CopyState(barcode, library, facts.status, facts.held_for, facts.loan_member, facts.loan_due),
        rules.MemberState(
            member.id, borrower.member_status, borrower.expires_on, borrower.open_loans, borrower.has_overdue
        ),
        policy,
        today,
    )
    due = due_date(today, policy, calendar)
    try:
        lent = await q.lend(
            conn,
            barcode=barcode,
            library=library,
            member_id=member.id,
            due_date=due,
            actor=staff.username,
            member_category=member.category,
        )
    except asyncpg.UniqueViolationError:  # the partial unique index: never two open loans of one copy
        raise Conflict(
            "item_not_available", f"copy {barcode} is on loan", field="item_barcode", extra={"item_status": "on_loan"}
        ) from None
    assert lent is not None  # an INSERT … RETURNING gives its row
    if lent.hold_id is not None:
        copy = await shelf.copy_for_update(conn, barcode=barcode)
        assert copy is not None  # locked by the facts query
        await journal.record(
            conn,
            Change(
                "hold_filled",
                staff.username,
                library,
                f"hold:{lent.hold_id}",
                member=member,
                title=title_facts(copy, barcode),
                loan_id=lent.id,
                hold_id=lent.hold_id,
            ),
        )
        if lent.hold_barcode not in (None, barcode):  # the member took another copy than the one set aside
            other = await shelf.copy_for_update(conn, barcode=lent.hold_barcode)
            assert other is not None  # a hold's copy is never deleted
            await offer_copy(conn, staff.username, other, today)
    return Loan(
        lent.id,
        barcode,
        member_number,
        due,
        lent.loaned_at,
        library,
        facts.title,
        facts.call_number,
        policy.max_renewals,
        lent.hold_id,
        borrower.member_name,
    )


async def check_in(circulation: Circulation, staff: Staff, scan: CopyScan, once: Once | None = None) -> Return:
    """Take a copy back; tell the librarian when a member is waiting for it."""
    today = circulation.clock.today()
    return await circulation.write_on_copy(
        scan.item_barcode, lambda conn: _check_in(conn, staff, scan.item_barcode, today), once
    )


async def _check_in(conn: asyncpg.Connection, staff: Staff, barcode: str, today: dt.date) -> Return:
    facts = await q.return_facts(conn, barcode=barcode)
    if facts is None:
        raise CopyNotSeen("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    authorise_copy(staff, facts.library_code)
    loan = facts.loan()
    if loan is None:
        raise _not_on_loan(barcode, facts.status)
    borrower = holder_facts(loan, today)
    policy, _ = policies.from_facts(facts.policies, borrower.category)
    days = late_days(loan.due_date, today)
    charged = fine(policy, days)
    returned_at = await q.give_back(
        conn,
        loan_id=loan.loan_id,
        barcode=barcode,
        late_days=days,
        fine=charged,
        actor=staff.username,
        member_category=borrower.category,
        shelve=not facts.hold_waiting,
    )
    if returned_at is None:  # another desk's return of the same copy won
        raise _not_on_loan(barcode, "available")
    waiting = await offer_copy(conn, staff.username, facts, today) if facts.hold_waiting else None
    return Return(
        loan.loan_id, barcode, returned_at, days, charged, facts.title, waiting, loan.member_number, loan.member_name
    )


async def renew(circulation: Circulation, staff: Staff, loan_id: int, once: Once | None = None) -> Renewal:
    """Extend a loan, unless renewals are used up or another member waits for the title."""
    today = circulation.clock.today()
    return await circulation.write(lambda conn: _renew(conn, staff, loan_id, today), once)


async def _renew(conn: asyncpg.Connection, staff: Staff, loan_id: int, today: dt.date) -> Renewal:
    row = await q.loan_for_renewal(conn, loan_id=loan_id)
    if row is None:
        raise NotFound("loan_not_found", f"no loan has id {loan_id}", field="loan_id")
    authorise_copy(staff, row.library_code)
    member = holder_facts(row, today)
    policy, calendar = await policies.policy_and_calendar(conn, row.library_code, member.category, today)
    state = rules.LoanState(row.id, row.status, row.due_date, row.renewals)
    rules.ensure_can_renew(
        state, rules.MemberState(row.member_id, row.member_status, row.expires_on), policy, row.hold_waiting, today
    )
    due = renewed_due_date(row.due_date, today, policy, calendar)
    rules.ensure_renewal_extends(state, due)
    renewals = await q.renew_loan(conn, loan_id=loan_id, due_date=due, renewals=row.renewals)
    if renewals is None:
        raise Conflict("loan_changed", f"loan {loan_id} changed at another desk; try again", field="loan_id")
    await journal.record(
        conn,
        Change(
            "renewed",
            staff.username,
            row.library_code,
            f"loan:{loan_id}",
            member=member,
            title=title_facts(row, row.barcode),
            loan_id=loan_id,
            due_date=due,
            detail={"renewals": renewals},
        ),
    )
    return Renewal(
        loan_id,
        row.barcode,
        due,
        row.due_date,
        renewals,
        policy.max_renewals - renewals,
        row.title,
        row.member_number,
        row.member_name,
    )


async def renew_copy(circulation: Circulation, staff: Staff, scan: CopyScan, once: Once | None = None) -> Renewal:
    """Renew the open loan of a copy, by its barcode (a scan at the desk, or one queued while offline)."""
    today = circulation.clock.today()
    return await circulation.write_on_copy(
        scan.item_barcode, lambda conn: _renew_copy(conn, staff, scan.item_barcode, today), once
    )


async def _renew_copy(conn: asyncpg.Connection, staff: Staff, barcode: str, today: dt.date) -> Renewal:
    found = await q.open_loan_of_copy(conn, barcode=barcode)
    if found is None:
        raise CopyNotSeen("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    if found.loan_id is None:
        raise Conflict(
            "item_not_on_loan",
            f"copy {barcode} is not on loan (it is {found.status})",
            field="item_barcode",
            extra={"item_status": found.status},
        )
    return await _renew(conn, staff, found.loan_id, today)


async def mark_lost(circulation: Circulation, staff: Staff, barcode: str, once: Once | None = None) -> ItemState:
    """Declare a copy lost: its open loan (if any) is closed as lost, a hold waiting on it waits again."""
    today = circulation.clock.today()
    await circulation.replica.sight(barcode)
    return await circulation.write(lambda conn: _mark_lost(conn, staff, barcode, today), once)


async def _mark_lost(conn: asyncpg.Connection, staff: Staff, barcode: str, today: dt.date) -> ItemState:
    row = await q.loan_for_return(conn, barcode=barcode)
    if row is None:
        raise Invalid("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    authorise_copy(staff, row.library_code)
    if row.status == "lost":
        raise Conflict("item_already_lost", f"copy {barcode} is already marked lost", field="item_barcode")
    loan = row.loan()
    borrower = holder_facts(loan, today) if loan is not None else None
    if (
        loan is not None
        and await q.close_loan(
            conn, loan_id=loan.loan_id, reason="lost", late_days=late_days(loan.due_date, today), fine=0
        )
        is None
    ):
        raise Conflict("item_already_lost", f"copy {barcode} changed at another desk", field="item_barcode")
    await shelf.untrap_hold(conn, barcode=barcode)
    await shelf.set_copy_status(conn, barcode=barcode, status="lost", catalog_status="lost")
    await journal.record(
        conn,
        Change(
            "item_lost",
            staff.username,
            row.library_code,
            f"item:{barcode}",
            member=borrower,
            title=title_facts(row, barcode),
            loan_id=row.loan_id,
            detail={"was": row.status},
        ),
    )
    return ItemState(barcode, "lost", row.loan_id)


async def mark_found(circulation: Circulation, staff: Staff, barcode: str, once: Once | None = None) -> ItemState:
    """A lost copy turned up: it goes to the first member waiting for its title, or back on the shelf."""
    today = circulation.clock.today()
    await circulation.replica.sight(barcode)
    return await circulation.write(lambda conn: _mark_found(conn, staff, barcode, today), once)


async def _mark_found(conn: asyncpg.Connection, staff: Staff, barcode: str, today: dt.date) -> ItemState:
    row = await shelf.copy_for_update(conn, barcode=barcode)
    if row is None:
        raise Invalid("item_not_found", f"no copy has barcode {barcode}", field="item_barcode")
    authorise_copy(staff, row.library_code)
    if row.status != "lost":
        raise Conflict(
            "item_not_lost",
            f"copy {barcode} is not marked lost (it is {row.status})",
            field="item_barcode",
            extra={"item_status": row.status},
        )
    waiting = await offer_copy(conn, staff.username, row, today)
    await journal.record(
        conn, Change("item_found", staff.username, row.library_code, f"item:{barcode}", title=title_facts(row, barcode))
    )
    return ItemState(barcode, "awaiting_pickup" if waiting else "available", None, waiting)


async def copy_at_desk(circulation: Circulation, staff: Staff, barcode: str) -> views.CopyView:
    """A copy as circulation sees it: its status, open loan and the hold it waits for."""

    async def work(conn: asyncpg.Connection) -> views.CopyView:
        found = await views.copy(conn, barcode)
        authorise_copy(staff, found.library)
        return found

    return await circulation.read(work)


async def loan(circulation: Circulation, staff: Staff, loan_id: int) -> views.LoanView:
    """One loan, open or closed."""

    async def work(conn: asyncpg.Connection) -> views.LoanView:
        found = await views.loan(conn, loan_id)
        authorise(staff, Action.CIRCULATE, found.library)
        return found

    return await circulation.read(work)


async def overdue(circulation: Circulation, staff: Staff, library: str) -> list[views.OverdueLoan]:
    """Open loans past their due date, longest overdue first, with whom to remind."""
    authorise(staff, Action.CIRCULATE, library)
    today = circulation.clock.today()
    return await circulation.read(lambda conn: views.overdue(conn, library, today))


async def member_loans(
    circulation: Circulation, staff: Staff, member_number: str, status: str = "open"
) -> list[views.LoanView]:
    """A member's open loans, loan history (`closed`) or `all`, newest first."""

    async def work(conn: asyncpg.Connection) -> list[views.LoanView]:
        member = await views.member_row(conn, member_number)
        authorise(staff, Action.CIRCULATE, member.library_code)
        return await views.member_loans(conn, member.id, None if status == "all" else status)

    return await circulation.read(work)
