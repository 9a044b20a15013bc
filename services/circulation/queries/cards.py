"""Members as their cards show them (cards.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "cards.sql")


class CardRow(msgspec.Struct):
    member_number: str
    name: str
    library_code: str
    expires_on: dt.date


member_for_card = Q.one("member_for_card", CardRow)
members_for_cards = Q.all("members_for_cards", CardRow)
