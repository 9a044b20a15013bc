"""Lending decisions: may this member take this copy, may this loan be renewed. Pure: the use cases load
the facts, these functions decide, and a refusal is raised with its own stable code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pustaka.errors import Conflict
from services.circulation.domain.policy import LoanPolicy

COPY_STATUSES = ("available", "on_loan", "awaiting_pickup", "lost", "damaged", "withdrawn")
_UNAVAILABLE = {
    "on_loan": "is on loan",
    "lost": "is marked lost",
    "damaged": "is marked damaged",
    "withdrawn": "has been withdrawn",
}


@dataclass(frozen=True, slots=True)
class CopyState:
    barcode: str
    library: str
    status: str
    held_for: int | None = None
    """The member a copy on the hold shelf waits for."""
    borrower: int | None = None
    """The member who has the copy on loan, and until when: a refusal names them for the desk."""
    due_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class MemberState:
    id: int
    status: str
    expires_on: dt.date
    open_loans: int = 0
    has_overdue: bool = False


@dataclass(frozen=True, slots=True)
class LoanState:
    id: int
    status: str
    due_date: dt.date
    renewals: int


def ensure_in_good_standing(member: MemberState, today: dt.date) -> None:
    """A suspended member or one whose membership has expired may not borrow or hold."""
    if member.status == "suspended":
        raise Conflict("member_suspended", "the member is suspended; lift the suspension first", field="member_number")
    if member.expires_on < today:
        raise Conflict(
            "member_expired",
            f"the membership expired on {member.expires_on}; renew it first",
            field="member_number",
            extra={"expires_on": member.expires_on.isoformat()},
        )


def ensure_can_check_out(copy: CopyState, member: MemberState, policy: LoanPolicy, today: dt.date) -> None:
    """Refuse the loan, with the first reason that applies, or return quietly."""
    ensure_in_good_standing(member, today)
    if copy.status in _UNAVAILABLE:
        extra: dict = {"item_status": copy.status}
        if copy.status == "on_loan" and copy.due_date is not None:
            extra |= {"due_date": copy.due_date.isoformat(), "same_member": copy.borrower == member.id}
        raise Conflict(
            "item_not_available", f"copy {copy.barcode} {_UNAVAILABLE[copy.status]}", field="item_barcode", extra=extra
        )
    if copy.status == "awaiting_pickup" and copy.held_for != member.id:
        raise Conflict(
            "item_held_for_another",
            f"copy {copy.barcode} is on the hold shelf for another member",
            field="item_barcode",
            extra={"item_status": copy.status},
        )
    if member.has_overdue:
        raise Conflict(
            "member_has_overdue", "the member has overdue loans; they must be returned first", field="member_number"
        )
    if member.open_loans >= policy.max_open_loans:
        raise Conflict(
            "loan_limit_reached",
            f"the member already has {member.open_loans} open loans; the limit is {policy.max_open_loans}",
            field="member_number",
            extra={"open_loans": member.open_loans, "max_open_loans": policy.max_open_loans},
        )


def ensure_can_renew(
    loan: LoanState, member: MemberState, policy: LoanPolicy, hold_waiting: bool, today: dt.date
) -> None:
    """Refuse the renewal, with the first reason that applies, or return quietly."""
    if loan.status != "open":
        raise Conflict("loan_closed", f"loan {loan.id} is already closed", field="loan_id")
    ensure_in_good_standing(member, today)
    if loan.renewals >= policy.max_renewals:
        raise Conflict(
            "renewals_exhausted",
            f"the loan was renewed {loan.renewals} times; the limit is {policy.max_renewals}",
            field="loan_id",
            extra={"renewals": loan.renewals, "max_renewals": policy.max_renewals},
        )
    if hold_waiting:
        raise Conflict(
            "renewal_blocked_by_hold", "another member is waiting for this title; it cannot be renewed", field="loan_id"
        )


def ensure_renewal_extends(loan: LoanState, new_due: dt.date) -> None:
    """A renewal that would not move the due date (e.g. on the loan day) is refused and uses nothing."""
    if new_due <= loan.due_date:
        raise Conflict(
            "renewal_would_not_extend",
            f"renewing today keeps the due date {loan.due_date}; try again closer to it",
            field="loan_id",
            extra={"due_date": loan.due_date.isoformat()},
        )
