"""Copies held and titles of many libraries (holdings.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "holdings.sql")


class Holding(msgspec.Struct):
    """What a library holds (also the API's answer, field for field)."""

    library: str
    items: int
    titles: int


holdings = Q.all("holdings", Holding)
