"""Statistics as pure rules: scopes, date ranges and their periods, the fixed names of groupings and
breakdowns, and the metric formulas. No I/O: the read side loads counts, these functions decide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kernel.dates import add_years
from kernel.libraries import KABUPATEN_CODE, KECAMATAN_CODE, LIBRARY_CODE
from pustaka.errors import Invalid

MAX_YEARS = 5
SCOPE_KINDS = ("library", "kecamatan", "kabupaten")
GROUPINGS = ("day", "month", "year")
_SCOPE_CODE = {"library": LIBRARY_CODE, "kecamatan": KECAMATAN_CODE, "kabupaten": KABUPATEN_CODE}

# Breakdown names a caller may ask for, mapped to the dimension stored in the rollups. The names are only
# ever looked up here: they reach SQL as parameter values, never as text of a query.
BREAKDOWNS: dict[str, str] = {
    "category": "category",  # member category: anak, remaja, dewasa, lansia
    "gender": "gender",  # L, P
    "disability": "disability",  # ya, tidak (inclusion)
    "ddc_class": "ddc_class",  # DDC hundreds of the title lent or read
    "audience": "audience",
    "title_category": "title_category",
    "language": "language",
    "library": "library",  # each library of a kecamatan or kabupaten, side by side
    "top_titles": "top_titles",  # the titles lent most in each period
    "never_borrowed": "never_borrowed",  # titles a library holds that were never lent (library scope only)
}
TOP_TITLES = 10

# Additive indicators read from the rollups, and the rollup metrics behind the derived ones.
SUMMED = (
    "loans",
    "renewals",
    "returns",
    "new_members",
    "visits",
    "member_visits",
    "non_member_visits",
    "reads_onsite",
    "activities",
    "activity_participants",
)
HELPER_METRICS = ("loans_due", "loans_due_on_time", "simulated_events")
INDICATORS = (
    "loans",
    "renewals",
    "returns",
    "active_borrowers",
    "new_members",
    "members",
    "visits",
    "member_visits",
    "non_member_visits",
    "reads_onsite",
    "activities",
    "activity_participants",
    "collection_items",
    "titles_held",
    "turnover",
    "titles_used_pct",
    "overdue_pct",
)


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str
    code: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True, slots=True)
class Period:
    """One group of the answer: its label and its days, clipped to the range asked."""

    label: str
    start: dt.date
    end: dt.date
    distinct_kind: str
    """Which borrower rows count its distinct borrowers: 'y' a whole year, 'm' a whole month, 'd' days."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of a period read from one rollup: whole months from the monthly one, other days from the daily."""

    group: int
    start: dt.date
    end: dt.date
    monthly: bool


def parse_scope(text: str) -> Scope:
    """`library:35.20.01.2001`, `kecamatan:35.20.01` or `kabupaten:35.20`."""
    kind, _, code = (text or "").partition(":")
    if kind not in SCOPE_KINDS:
        raise Invalid(
            "scope_invalid", f"scope '{text}' must be library:CODE, kecamatan:CODE or kabupaten:CODE", field="scope"
        )
    if not _SCOPE_CODE[kind].match(code):
        raise Invalid("scope_invalid", f"'{code}' is not a {kind} code", field="scope")
    return Scope(kind, code)


def check_range(start: dt.date, end: dt.date) -> None:
    """`from` on or before `to`, and at most five years apart."""
    if start > end:
        raise Invalid("range_inverted", f"from ({start}) is after to ({end})", field="from")
    if end >= add_years(start, MAX_YEARS):
        raise Invalid("range_too_long", f"a range covers at most {MAX_YEARS} years", field="to")


def parse_grouping(text: str) -> str:
    if text not in GROUPINGS:
        raise Invalid("group_by_invalid", f"group_by must be one of {', '.join(GROUPINGS)}", field="group_by")
    return text


def parse_breakdowns(text: str | None, scope: Scope | None = None) -> list[str]:
    """Breakdown names from a comma list; each must be one of BREAKDOWNS."""
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    for name in names:
        if name not in BREAKDOWNS:
            raise Invalid(
                "breakdown_invalid", f"unknown breakdown '{name}'; use {', '.join(BREAKDOWNS)}", field="breakdown"
            )
    if "never_borrowed" in names and scope is not None and scope.kind != "library":
        raise Invalid(
            "breakdown_needs_library",
            "never_borrowed lists the titles of one library: use a "
            "library scope (titles_used_pct gives the share for wider scopes)",
            field="breakdown",
        )
    return list(dict.fromkeys(names))


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def periods(start: dt.date, end: dt.date, group_by: str) -> list[Period]:
    """The groups of [start, end] (inclusive dates, Asia/Jakarta), each clipped to the range."""
    found: list[Period] = []
    day = start
    while day <= end:
        if group_by == "day":
            last, label = day, day.isoformat()
        elif group_by == "range":  # one group for the whole range (roll-ups and IPLM tables)
            last, label = end, f"{start.isoformat()}/{end.isoformat()}"
        elif group_by == "month":
            last, label = _month_end(day), day.strftime("%Y-%m")
        else:
            last, label = dt.date(day.year, 12, 31), f"{day.year:04d}"
        last = min(last, end)
        whole_year = day == dt.date(day.year, 1, 1) and last == dt.date(day.year, 12, 31)
        whole_month = day.day == 1 and last == _month_end(day)
        found.append(Period(label, day, last, "y" if whole_year else "m" if whole_month else "d"))
        day = last + dt.timedelta(days=1)
    return found


def segments(groups: list[Period]) -> list[Segment]:
    """Each period as its leading days, its whole months (by their first days) and its trailing days."""
    found: list[Segment] = []
    one_day = dt.timedelta(days=1)
    for index, p in enumerate(groups):
        first_whole = p.start if p.start.day == 1 else _month_end(p.start) + one_day
        last_whole_end = p.end if p.end == _month_end(p.end) else p.end.replace(day=1) - one_day
        if first_whole > last_whole_end:
            found.append(Segment(index, p.start, p.end, False))
            continue
        if p.start < first_whole:
            found.append(Segment(index, p.start, first_whole - one_day, False))
        found.append(Segment(index, first_whole, last_whole_end.replace(day=1), True))
        if last_whole_end < p.end:
            found.append(Segment(index, last_whole_end + one_day, p.end, False))
    return found


def ratio(numerator: int, denominator: int, scale: float = 1.0, digits: int = 4) -> float | None:
    """numerator / denominator × scale, rounded; None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(numerator / denominator * scale, digits)


def turnover(loans: int, collection_items: int) -> float | None:
    """Loans per item held."""
    return ratio(loans, collection_items)


def titles_used_pct(titles_used: int, titles_held: int) -> float | None:
    """Titles lent at least once since the library received them, as a share of titles held (capped at 100:
    a title lent and then withdrawn still counts as used)."""
    if not titles_held:
        return None
    return round(min(100.0, titles_used / titles_held * 100), 2)


def overdue_pct(due: int, on_time: int, not_yet_due: int) -> float | None:
    """Loans due in the period returned late or still out after their due day, ÷ loans due, × 100.

    `not_yet_due` are loans due in the period that are still out but whose due day is today or later:
    they are neither late nor on time yet, and are left out of both counts.
    """
    counted = due - not_yet_due
    if counted <= 0:
        return None
    return round((counted - on_time) / counted * 100, 2)


def category_at(birth_year: int, on: dt.date) -> str:
    age = on.year - birth_year
    return "anak" if age <= 12 else "remaja" if age <= 17 else "dewasa" if age <= 59 else "lansia"
