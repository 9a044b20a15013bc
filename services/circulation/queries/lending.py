"""Lending's queries (lending.sql): the facts a check-out, check-in or renewal decides on, and the guarded
writes that follow."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load
from services.circulation.queries.copies import CopyFacts

Q = load(__file__, "lending.sql")


class Borrower(msgspec.Struct):
    """The member a check-out names, as the facts query found them (locked)."""

    member_id: int
    member_name: str
    member_library: str
    birth_year: int
    gender: str
    disability: bool
    member_status: str
    expires_on: dt.date
    open_loans: int
    has_overdue: bool


class CheckoutFacts(msgspec.Struct):
    barcode: str
    library_code: str
    isbn13: str | None
    title: str
    call_number: str
    status: str
    held_for: int | None
    loan_member: int | None
    loan_due: dt.date | None
    member_id: int | None
    member_name: str | None
    member_library: str | None
    birth_year: int | None
    gender: str | None
    disability: bool | None
    member_status: str | None
    expires_on: dt.date | None
    open_loans: int
    has_overdue: bool | None
    policies: str | None
    """The library's loan policies as a JSON array (None: the defaults)."""
    closed_weekdays: list[int] | None
    closed_dates: list[dt.date]
    whole_kabupaten: bool

    def borrower(self) -> Borrower | None:
        """The member, or None when no member has the number."""
        if self.member_id is None:
            return None
        return msgspec.convert(msgspec.structs.asdict(self), Borrower)


class Lent(msgspec.Struct):
    id: int
    loaned_at: dt.datetime
    hold_id: int | None
    """The member's own hold on the title, filled by this loan."""
    hold_barcode: str | None
    """The copy that hold had set aside, if any (another copy goes to the next in the queue)."""


class OpenLoan(msgspec.Struct):
    """A copy's open loan and its borrower."""

    loan_id: int
    due_date: dt.date
    member_id: int
    member_number: str
    member_name: str
    birth_year: int
    gender: str
    disability: bool
    member_library: str


class CopyOnLoan(CopyFacts):
    """A copy (locked) with its open loan, if any, and the borrower."""

    loan_id: int | None
    due_date: dt.date | None
    member_id: int | None
    member_number: str | None
    member_name: str | None
    birth_year: int | None
    gender: str | None
    disability: bool | None
    member_library: str | None

    def loan(self) -> OpenLoan | None:
        """The copy's open loan, or None when it is not on loan."""
        if self.loan_id is None:
            return None
        return msgspec.convert(msgspec.structs.asdict(self), OpenLoan)


class ReturnFacts(CopyOnLoan):
    """What a check-in decides on: the copy on loan, the library's policies, whether a member waits."""

    policies: str | None
    hold_waiting: bool


class LoanForRenewal(msgspec.Struct):
    id: int
    status: str
    due_date: dt.date
    renewals: int
    barcode: str
    library_code: str
    title_id: int | None
    isbn13: str | None
    title: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    member_id: int
    member_number: str
    member_name: str
    birth_year: int
    gender: str
    disability: bool
    member_status: str
    expires_on: dt.date
    member_library: str
    hold_waiting: bool


class CopyLoan(msgspec.Struct):
    status: str
    loan_id: int | None


checkout_facts = Q.one("checkout_facts", CheckoutFacts)
"""The copy and member of a check-out (both locked), the member's loans, the library's rules."""
lend = Q.one("lend", Lent)
"""The loan, the copy's status, the outbox, the member's own hold filled, the journal: one statement."""
return_facts = Q.one("return_facts", ReturnFacts)
"""The copy of a check-in (locked), its open loan and borrower, the library's policies, whether a member waits."""
give_back = Q.value("give_back", dt.datetime)
"""Close an open loan and journal it (the copy shelved when `shelve`); None: another desk closed it first."""
loan_for_return = Q.one("loan_for_return", CopyOnLoan)
close_loan = Q.value("close_loan", dt.datetime)
"""Close an open loan (`reason` lost); None: it was not open any more."""
loan_for_renewal = Q.one("loan_for_renewal", LoanForRenewal)
renew_loan = Q.value("renew_loan", int)
"""The loan's renewals after this one; None: the loan changed since it was read."""
open_loan_of_copy = Q.one("open_loan_of_copy", CopyLoan)
