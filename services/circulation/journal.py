"""The journal of changes: each use case appends one event (for statistics, append-only) and one audit
row (who did it) per change, in its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import asyncpg

from pustaka.sql import load
from services.circulation.domain.titles import MemberFacts, TitleFacts

Q = load(__file__, "journal.sql")


@dataclass(slots=True)
class Change:
    type: str
    actor: str
    library: str
    target: str
    """What the audit row names: `loan:12`, `member:7`, `hold:3`, `item:000000000017`."""
    member: MemberFacts | None = None
    title: TitleFacts | None = None
    loan_id: int | None = None
    hold_id: int | None = None
    due_date: dt.date | None = None
    late_days: int | None = None
    detail: dict = field(default_factory=dict)


async def record(conn: asyncpg.Connection, change: Change) -> None:
    """Append the event and the audit row of one change."""
    m, t = change.member, change.title
    await conn.execute(
        Q.record, change.type, change.actor, change.library,
        m and m.id, m and m.category, m and m.gender, m and m.disability, m and m.library,
        change.loan_id, change.hold_id, t and t.barcode, t and t.title_id, t and t.isbn13, t and t.ddc_class,
        t and t.audience, t and t.category, t and t.language, change.due_date, change.late_days,
        json.dumps(change.detail), change.target,
    )


async def record_registrations(conn: asyncpg.Connection, actor: str, library: str, members: list[MemberFacts],
                               source: str) -> None:
    """Append member_registered events and audit rows for a whole import."""
    await conn.execute(Q.record_registrations, actor, library, [m.id for m in members],
                       [m.category for m in members], [m.gender for m in members],
                       [m.disability for m in members], source)
