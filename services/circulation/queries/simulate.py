"""The simulated history's own SQL (simulate.sql): restamping what a use case wrote with the simulated moment."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "simulate.sql")


class CopyFacts(msgspec.Struct):
    barcode: str
    title_id: int | None
    isbn13: str | None
    title: str
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None


enable = Q.execute("enable")
"""Allow this transaction to restamp events (the event log's guard)."""
restamp_events = Q.execute("restamp_events")
"""The events this transaction wrote: at the simulated moment `at`, marked simulated."""
restamp_loan_out = Q.execute("restamp_loan_out")
restamp_loan_back = Q.execute("restamp_loan_back")
copy_facts = Q.all("copy_facts", CopyFacts)
"""A library's copies in the replica, by barcode."""
any_simulated = Q.value("any_simulated", bool)
"""Whether a simulated history was loaded already."""
