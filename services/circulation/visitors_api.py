"""HTTP handlers of the guest book and the desk's records: one visitor from the entrance kiosk, and what a
library recorded (daily visitor tallies, reads on the spot, activities) for the desk's screens. Tallies
are corrected through `POST /visits` with `"correction": true` (and `expected_tallies`). Each handler calls
its use case in `visitors.py`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from pustaka.access import Staff
from pustaka.web import once
from services.circulation import visitors
from services.circulation.service import Circulation
from services.circulation.visitors import ActivityView, ReadView, VisitDayView, Visitor, VisitorRecorded
from services.circulation.wire import PREFIX


@post(f"{PREFIX}/visitors", status_code=201)
async def post_visitor(request: Request, circulation: Circulation, staff: Staff, data: Visitor) -> VisitorRecorded:
    """One visitor today: `{"library", "member_number"}` or `{"library", "category", "gender"}`."""
    return await visitors.record_visitor(circulation, staff, data, await once(request, "circulation", staff, 201))


@get(f"{PREFIX}/libraries/{{code:str}}/visits")
async def library_visits(
    circulation: Circulation,
    staff: Staff,
    code: str,
    first: Annotated[dt.date | None, Parameter(query="from")] = None,
    last: Annotated[dt.date | None, Parameter(query="to")] = None,
) -> list[VisitDayView]:
    """A library's daily visitor tallies, newest first (the last 31 days by default, Asia/Jakarta)."""
    return await visitors.visit_days(circulation, staff, code, first, last)


@get(f"{PREFIX}/libraries/{{code:str}}/reads")
async def library_reads(
    circulation: Circulation, staff: Staff, code: str, day: Annotated[dt.date | None, Parameter(query="date")] = None
) -> list[ReadView]:
    """The titles recorded as read on the spot on a day (default today), newest first."""
    return await visitors.reads_of_day(circulation, staff, code, day)


@get(f"{PREFIX}/libraries/{{code:str}}/activities")
async def library_activities(
    circulation: Circulation,
    staff: Staff,
    code: str,
    first: Annotated[dt.date | None, Parameter(query="from")] = None,
    last: Annotated[dt.date | None, Parameter(query="to")] = None,
) -> list[ActivityView]:
    """A library's activities, newest first."""
    return await visitors.activities_between(circulation, staff, code, first, last)


HANDLERS = [post_visitor, library_visits, library_reads, library_activities]
