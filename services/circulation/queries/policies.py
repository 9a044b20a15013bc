"""Loan policies and library calendars (policies.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "policies.sql")


class PolicyRow(msgspec.Struct):
    """A library's own policy for one member category; all None where it set none (the defaults apply)."""

    loan_days: int | None
    max_open_loans: int | None
    max_renewals: int | None
    holds_allowed: bool | None
    hold_pickup_days: int | None
    fines_enabled: bool | None
    fine_per_day: int | None
    category: str | None = None


class CalendarRow(msgspec.Struct):
    closed_weekdays: list[int] | None
    """None: the default calendar."""
    closed_dates: list[dt.date]


class PolicyAndCalendar(msgspec.Struct):
    loan_days: int | None
    max_open_loans: int | None
    max_renewals: int | None
    holds_allowed: bool | None
    hold_pickup_days: int | None
    fines_enabled: bool | None
    fine_per_day: int | None
    closed_weekdays: list[int] | None
    closed_dates: list[dt.date]


policy_and_calendar = Q.one("policy_and_calendar", PolicyAndCalendar)
policies_of_library = Q.all("policies_of_library", PolicyRow)
calendar_of_library = Q.one("calendar_of_library", CalendarRow)
upsert_policy = Q.execute("upsert_policy")
upsert_calendar = Q.execute("upsert_calendar")
delete_closed_dates_from = Q.execute("delete_closed_dates_from")
insert_closed_dates = Q.execute("insert_closed_dates")
audit = Q.execute("audit")
