"""The journal of changes: each use case appends one event (for statistics, append-only) and one audit
row (who did it) per change, in its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import asyncpg

from services.circulation.domain.titles import MemberFacts, TitleFacts
from services.circulation.queries import journal as q


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
    await q.record(
        conn,
        type=change.type,
        actor=change.actor,
        library=change.library,
        member_id=m and m.id,
        member_category=m and m.category,
        member_gender=m and m.gender,
        member_disability=m and m.disability,
        member_library=m and m.library,
        loan_id=change.loan_id,
        hold_id=change.hold_id,
        barcode=t and t.barcode,
        title_id=t and t.title_id,
        isbn13=t and t.isbn13,
        ddc_class=t and t.ddc_class,
        audience=t and t.audience,
        category=t and t.category,
        language=t and t.language,
        due_date=change.due_date,
        late_days=change.late_days,
        detail=json.dumps(change.detail),
        target=change.target,
    )


async def record_registrations(
    conn: asyncpg.Connection, actor: str, library: str, members: list[MemberFacts], source: str
) -> None:
    """Append member_registered events and audit rows for a whole import."""
    await q.record_registrations(
        conn,
        actor=actor,
        library=library,
        member_ids=[m.id for m in members],
        categories=[m.category for m in members],
        genders=[m.gender for m in members],
        disabilities=[m.disability for m in members],
        source=source,
    )
