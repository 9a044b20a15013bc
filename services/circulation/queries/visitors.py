"""The guest book and what a library recorded, as the desk's screens read them (visitors.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "visitors.sql")


class VisitDayRow(msgspec.Struct):
    day: dt.date
    member_visits: int
    non_member_visits: int
    by_category: str
    """json text"""
    by_gender: str
    tallies: int
    updated_by: str
    updated_at: dt.datetime


class MemberFacts(msgspec.Struct):
    birth_year: int
    gender: str


class ReadRow(msgspec.Struct):
    id: int
    day: dt.date
    barcode: str | None
    isbn13: str | None
    title: str
    recorded_by: str
    recorded_at: dt.datetime


class ActivityRow(msgspec.Struct):
    id: int
    day: dt.date
    title: str
    kind: str
    participants: int
    partner: str | None
    by_category: str
    """json text"""
    by_gender: str
    recorded_by: str


visit_days = Q.all("visit_days", VisitDayRow)
member_facts = Q.one("member_facts", MemberFacts)
reads_of_day = Q.all("reads_of_day", ReadRow)
activities_between = Q.all("activities_between", ActivityRow)
