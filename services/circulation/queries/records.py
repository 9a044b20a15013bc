"""Visitor tallies, reads on the spot and activities (records.sql)."""

from __future__ import annotations

import json

import msgspec

from pustaka.sql import load

Q = load(__file__, "records.sql")


class VisitDayRow(msgspec.Struct):
    member_visits: int
    non_member_visits: int
    by_category_json: str = msgspec.field(name="by_category")
    by_gender_json: str = msgspec.field(name="by_gender")
    tallies: int

    @property
    def by_category(self) -> dict[str, int]:
        return json.loads(self.by_category_json)

    @property
    def by_gender(self) -> dict[str, int]:
        return json.loads(self.by_gender_json)


class CopyFacts(msgspec.Struct):
    """What a read on the spot keeps of the title it read, as of that day."""

    title_id: int | None
    isbn13: str | None
    title: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    barcode: str | None = None
    library_code: str | None = None


class Inserted(msgspec.Struct):
    id: int


open_visit_day = Q.execute("open_visit_day")
visit_day = Q.one("visit_day", VisitDayRow)
"""The day's tally, locked for the change."""
save_visit_day = Q.value("save_visit_day", int)
"""The new count of tallies, or None when the tally changed since it was read."""
copy_facts = Q.one("copy_facts", CopyFacts)
insert_read = Q.one("insert_read", Inserted)
insert_activity = Q.one("insert_activity", Inserted)
