"""Loan policies per library and member category, and the library calendar that due dates respect."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from services.circulation.domain.members import CATEGORIES

SUNDAY = 7  # ISO weekday numbers: Monday 1 ... Sunday 7
LOOK_AHEAD_DAYS = 400


class LoanPolicy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What one member category may do in one library."""

    loan_days: Annotated[int, msgspec.Meta(ge=1, le=365)]
    max_open_loans: Annotated[int, msgspec.Meta(ge=0, le=100)]
    max_renewals: Annotated[int, msgspec.Meta(ge=0, le=20)]
    holds_allowed: bool = True
    hold_pickup_days: Annotated[int, msgspec.Meta(ge=1, le=30)] = 3
    fines_enabled: bool = False
    fine_per_day: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    """Rupiah per late day, charged only when `fines_enabled`."""


# Village defaults: children borrow fewer books for a shorter time; nobody is fined unless the library
# decides so.
DEFAULT_POLICIES: dict[str, LoanPolicy] = {
    "anak": LoanPolicy(loan_days=7, max_open_loans=3, max_renewals=2),
    "remaja": LoanPolicy(loan_days=14, max_open_loans=5, max_renewals=2),
    "dewasa": LoanPolicy(loan_days=14, max_open_loans=5, max_renewals=2),
    "lansia": LoanPolicy(loan_days=14, max_open_loans=5, max_renewals=2),
}
assert set(DEFAULT_POLICIES) == set(CATEGORIES)


class Calendar(msgspec.Struct, frozen=True):
    """The days a library is closed: ISO weekdays (1 Monday ... 7 Sunday) and single dates (holidays)."""

    closed_weekdays: frozenset[int] = frozenset({SUNDAY})
    closed_dates: frozenset[dt.date] = frozenset()

    def is_open(self, day: dt.date) -> bool:
        return day.isoweekday() not in self.closed_weekdays and day not in self.closed_dates

    def next_open_day(self, day: dt.date) -> dt.date:
        """`day` itself when the library is open then, else the first open day after it."""
        for offset in range(LOOK_AHEAD_DAYS):
            candidate = day + dt.timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        raise ValueError(f"the library has no open day within {LOOK_AHEAD_DAYS} days of {day}")


DEFAULT_CALENDAR = Calendar()


def check_closed_weekdays(days: list[int]) -> frozenset[int]:
    """Closed weekdays as a set; a library must stay open at least one day a week."""
    found = frozenset(days)
    if not found <= set(range(1, 8)):
        raise ValueError("closed weekdays are ISO numbers: 1 (Monday) to 7 (Sunday)")
    if len(found) == 7:
        raise ValueError("a library must be open on at least one weekday")
    return found


def due_date(loaned_on: dt.date, policy: LoanPolicy, calendar: Calendar) -> dt.date:
    """Loan days after the loan, moved to the next open day when the library is closed then."""
    return calendar.next_open_day(loaned_on + dt.timedelta(days=policy.loan_days))


def renewed_due_date(current_due: dt.date, renewed_on: dt.date, policy: LoanPolicy, calendar: Calendar) -> dt.date:
    """A renewal counts loan days from the renewal day, and never shortens the loan."""
    return max(current_due, due_date(renewed_on, policy, calendar))


def pickup_deadline(trapped_on: dt.date, policy: LoanPolicy, calendar: Calendar) -> dt.date:
    """The last day a copy waits on the hold shelf: pickup days later, on an open day."""
    return calendar.next_open_day(trapped_on + dt.timedelta(days=policy.hold_pickup_days))


def late_days(due: dt.date, returned_on: dt.date) -> int:
    """Calendar days past the due date (0 when returned on time)."""
    return max(0, (returned_on - due).days)


def fine(policy: LoanPolicy, days_late: int) -> int:
    """The fine in rupiah for a late return; 0 unless the library switched fines on."""
    return policy.fine_per_day * days_late if policy.fines_enabled else 0
