"""Item status changes and a title's copies in one library (items.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "items.sql")


class StatusOutcome(msgspec.Struct):
    updated: int
    unknown: list[str]


class TitleCopy(msgspec.Struct):
    title_id: int
    isbn13: str | None
    local_code: str | None
    title: str
    ddc: str | None
    category: str | None
    audience: str | None
    language: str | None
    barcode: str
    status: str
    call_number: str


set_statuses = Q.one("set_statuses", StatusOutcome)
"""Set each barcode's status (the last change of a barcode wins), queue the titles for search, audit each
change as `actor`; how many changed, and the barcodes no copy has."""
title_copies = Q.all("title_copies", TitleCopy)
