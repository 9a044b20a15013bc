"""HTTP handlers for holds: place, cancel, and the queues of a library and of a member. Each decodes the
request, calls its use case in `holds.py` and returns the answer."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from pustaka.access import Staff
from pustaka.web import once
from services.circulation import holds
from services.circulation.holds import HoldRequest
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


@post(f"{PREFIX}/holds", status_code=201)
async def place_hold(request: Request, circulation: Circulation, staff: Staff, data: HoldRequest) -> holds.Hold:
    """Queue a member for a title at a library; a copy on the shelf is set aside for them at once."""
    return await holds.place_hold(circulation, staff, data, await once(request, "circulation", staff, 201))


@post(f"{PREFIX}/holds/{{hold_id:int}}/cancellation", status_code=200)
async def cancel_hold(request: Request, circulation: Circulation, staff: Staff, hold_id: int) -> holds.Hold:
    """Cancel an open hold; a copy waiting for it goes to the next member in the queue."""
    return await holds.cancel_hold(circulation, staff, hold_id, await once(request, "circulation", staff, 200))


@get(f"{PREFIX}/libraries/{{code:str}}/holds")
async def library_holds(
    circulation: Circulation,
    staff: Staff,
    code: str,
    status: Annotated[str | None, Parameter(query="status")] = None,
) -> list[holds.Hold]:
    """A library's holds by title in queue order; `status` filters (e.g. open-awaiting-pickup)."""
    return await holds.library_holds(circulation, staff, code, status)


@get(f"{PREFIX}/members/{{number:str}}/holds")
async def member_holds(circulation: Circulation, staff: Staff, number: str) -> list[holds.Hold]:
    """A member's holds, open and closed, with their place in the queue."""
    return await holds.member_holds(circulation, staff, number)


HANDLERS = [place_hold, cancel_hold, library_holds, member_holds]
