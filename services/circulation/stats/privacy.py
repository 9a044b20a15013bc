"""Privacy: remove the member link of loans returned more than N days ago, without changing statistics.

The loans and their events lose their member id. Statistics keep every count: the rollups were folded
from the events before (a drain runs first, in the same transaction), and distinct-borrower rows of the
periods that ended before the cut-off get anonymous ids; those periods are sealed, so a rebuild from the
raw events keeps them as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
import msgspec

from pustaka.access import Staff
from pustaka.errors import Forbidden
from pustaka.unit_of_work import Once
from services.circulation.queries import privacy as q
from services.circulation.service import Circulation
from services.circulation.stats.rollup import drain


class Anonymisation(msgspec.Struct, forbid_unknown_fields=True):
    older_than_days: Annotated[int, msgspec.Meta(ge=1, le=3650)]
    """Loans returned more than this many days ago lose their member."""


class Anonymised(msgspec.Struct):
    returned_before: dt.date
    loans: int
    events: int
    borrower_rows: int


async def anonymise_returned_loans(
    conn: asyncpg.Connection, *, older_than_days: int, today: dt.date, actor: str
) -> Anonymised:
    """Unlink members from loans returned before `today - older_than_days` (one transaction)."""
    cutoff = today - dt.timedelta(days=older_than_days)
    await drain(conn)
    async with conn.transaction():
        await q.enable(conn)
        loans = [loan.id for loan in await q.unlink_loans(conn, cutoff=cutoff)]
        events = q.changed(await q.unlink_events(conn, loan_ids=loans))
        rows = q.changed(await q.seal_borrowers(conn, cutoff=cutoff))
        await q.set_sealed(conn, cutoff=cutoff)
        await q.record_run(conn, actor=actor, cutoff=cutoff, loans=len(loans), events=events, borrower_rows=rows)
    return Anonymised(cutoff, len(loans), events, rows)


async def anonymise(
    circulation: Circulation, staff: Staff, order: Anonymisation, once: Once | None = None
) -> Anonymised:
    """Admin only: unlink members from loans returned more than `older_than_days` ago; statistics keep."""
    if staff.role != "admin":
        raise Forbidden("forbidden", f"{staff.username} ({staff.role}) may not anonymise loans")
    today = circulation.clock.today()
    return await circulation.write(
        lambda conn: anonymise_returned_loans(
            conn, older_than_days=order.older_than_days, today=today, actor=staff.username
        ),
        once,
    )
