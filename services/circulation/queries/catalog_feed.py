"""The catalogue's copy changes applied to the replica (catalog_feed.sql)."""

from __future__ import annotations

from pustaka.sql import load

Q = load(__file__, "catalog_feed.sql")

refresh_seen_copies = Q.execute("refresh_seen_copies")
"""Column arrays, one element per changed copy."""
