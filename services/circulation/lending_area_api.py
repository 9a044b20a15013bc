"""HTTP handlers for a kabupaten's lending area; the use cases are in `lending_area.py`."""

from __future__ import annotations

from litestar import get, put

from pustaka.access import Staff
from services.circulation import lending_area
from services.circulation.lending_area import LendingArea, LendingAreaChange
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


@get(f"{PREFIX}/kabupaten/{{code:str}}/lending-area")
async def get_lending_area(circulation: Circulation, staff: Staff, code: str) -> LendingArea:
    """Whether the libraries of this kabupaten lend to members of any library in it."""
    return await lending_area.lending_area(circulation, staff, code)


@put(f"{PREFIX}/kabupaten/{{code:str}}/lending-area")
async def set_lending_area(circulation: Circulation, staff: Staff, code: str, data: LendingAreaChange) -> LendingArea:
    """Let (or stop) the libraries of a kabupaten lend to each other's members (admin, or its district)."""
    return await lending_area.set_lending_area(circulation, staff, code, data)


HANDLERS = [get_lending_area, set_lending_area]
