"""ISBN look-ups in the background (enrich.sql): titles missing facts, what a service answered."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "enrich.sql")


class TitleToLookUp(msgspec.Struct):
    id: int
    isbn13: str


titles_to_look_up = Q.all("titles_to_look_up", TitleToLookUp)
remember_lookup = Q.execute("remember_lookup")
"""What a service answered for an ISBN (`metadata` a JSON document as text, or None), or its error."""
fill_from_lookup = Q.execute("fill_from_lookup")
"""Fill a title's missing publisher, year and language; never overwrite what is known."""
