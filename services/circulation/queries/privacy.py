"""Anonymising returned loans (privacy.sql): the member link goes, the statistics' counts stay."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "privacy.sql")


class Unlinked(msgspec.Struct):
    id: int


enable = Q.execute("enable")
"""Allow this transaction to unlink members (the event log's guard)."""
unlink_loans = Q.all("unlink_loans", Unlinked)
"""Loans closed before the `cutoff` day lose their member: the loans changed."""
unlink_events = Q.execute("unlink_events")
seal_borrowers = Q.execute("seal_borrowers")
set_sealed = Q.execute("set_sealed")
record_run = Q.execute("record_run")
"""The run, and its audit row."""


def changed(status: str) -> int:
    """How many rows a statement's status (`UPDATE 3`) says it changed."""
    return int(status.split()[-1])
