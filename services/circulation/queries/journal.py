"""The journal: events for statistics and audit rows for accountability (journal.sql)."""

from __future__ import annotations

from pustaka.sql import load

Q = load(__file__, "journal.sql")

record = Q.execute("record")
"""One event and its audit row."""
record_registrations = Q.execute("record_registrations")
"""member_registered events and audit rows of a whole import (column arrays, one element per member)."""
