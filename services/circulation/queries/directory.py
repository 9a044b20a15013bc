"""The statistics' library directory and holdings snapshots, as learnt from the catalogue (directory.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "directory.sql")


class LibraryCode(msgspec.Struct):
    code: str


upsert_libraries = Q.execute("upsert_libraries")
"""Add or refresh libraries (column arrays, one element per library)."""
libraries_stale = Q.value("libraries_stale", bool)
"""Whether the library list is older than `max_age_seconds` (or empty)."""
stale_holdings = Q.all("stale_holdings", LibraryCode)
"""Libraries whose snapshot of `today` is older than `max_age_seconds`, or (`missing_too`) missing."""
upsert_holdings = Q.execute("upsert_holdings")
"""Today's snapshot of each library (`libraries`, `items`, `titles`: one element per library)."""
library_known = Q.value("library_known", bool)
library_name = Q.value("library_name", str)
