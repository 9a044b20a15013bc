"""HTTP handlers for non-loan use: visitor tallies, on-the-spot reads and activities (201 each; every
POST is authenticated, authorised for the library, audited through the journal and honours
Idempotency-Key). Each decodes the request, calls its use case in `records.py` and returns the answer."""

from __future__ import annotations

from litestar import Request, post

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff
from pustaka.web import once
from services.circulation import records
from services.circulation.records import ActivityHeld, OnsiteRead, VisitTally
from services.circulation.service import Circulation

PREFIX = CIRCULATION_PREFIX


@post(f"{PREFIX}/visits", status_code=201)
async def post_visits(request: Request, circulation: Circulation, staff: Staff, data: VisitTally) -> records.VisitDay:
    """Record a day's visitors (adds to the day's tally; `"correction": true` replaces it)."""
    return await records.record_visits(circulation, staff, data, await once(request, "circulation", staff, 201))


@post(f"{PREFIX}/reads", status_code=201)
async def post_read(request: Request, circulation: Circulation, staff: Staff, data: OnsiteRead) -> records.ReadRecorded:
    """Record one title read in the library without a loan (baca di tempat), by copy barcode or ISBN."""
    return await records.record_read(circulation, staff, data, await once(request, "circulation", staff, 201))


@post(f"{PREFIX}/activities", status_code=201)
async def post_activity(
    request: Request, circulation: Circulation, staff: Staff, data: ActivityHeld
) -> records.ActivityRecorded:
    """Record a literacy or community activity and its participants."""
    return await records.record_activity(circulation, staff, data, await once(request, "circulation", staff, 201))


HANDLERS = [post_visits, post_read, post_activity]
