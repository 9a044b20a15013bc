"""The counts a statistics report is computed from (indicators.sql), read from the rollups circulation folds.
Each query answers a handful of aggregate rows (the long series come as arrays): counts only, no member data."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "indicators.sql")


class Sum(msgspec.Struct):
    g: int
    library_code: str
    """'' unless split by library (and then only for the totals, dim '')."""
    metric: str
    dim: str
    key: str
    n: int


class Count(msgspec.Struct):
    """A count of a group (`g`) under a key of a split (None: the member's value is unknown)."""

    g: int
    key: str | None
    n: int


class NotYetDue(msgspec.Struct):
    library_code: str
    due_date: dt.date
    n: int


class TitlesUsed(msgspec.Struct):
    library_code: str | None
    """None: every library of the list together."""
    days: list[dt.date]
    running: list[int]
    """How many titles had been lent by the end of each of `days`."""


class MembershipChange(msgspec.Struct):
    key: str | None
    day: dt.date
    n: int


class Holding(msgspec.Struct):
    library_code: str
    as_of: dt.date
    items: int
    titles: int


class LastActive(msgspec.Struct):
    library_code: str
    last_day: dt.date


class TopTitle(msgspec.Struct):
    g: int
    title_id: int
    isbn13: str | None
    loans: int
    rank: int


class TitleName(msgspec.Struct):
    title_id: int
    title: str


class UsedTitle(msgspec.Struct):
    code: str | None
    """The title's ISBN-13, else its local code."""


sums = Q.all("sums", Sum)
"""Additive counts of each group (`groups`, `starts`, `ends`, `monthly`: one element per segment)."""
borrowers = Q.all("borrowers", Count)
"""Distinct borrowers of each group (`groups`, `kinds`, `starts`, `ends`) in `scopes`, by `split`."""
not_yet_due = Q.all("not_yet_due", NotYetDue)
titles_used = Q.all("titles_used", TitlesUsed)
members_valid = Q.all("members_valid", Count)
"""Members valid on each group's last day (`groups`, `ends`), by `split`."""
membership_changes = Q.all("membership_changes", MembershipChange)
holdings = Q.all("holdings", Holding)
last_active = Q.all("last_active", LastActive)
top_titles = Q.all("top_titles", TopTitle)
title_names = Q.all("title_names", TitleName)
used_titles = Q.all("used_titles", UsedTitle)
"""The titles a `library` lent at least once up to `until`."""
