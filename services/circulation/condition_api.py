"""HTTP handlers for a copy's condition at the desk: damaged (with a reason), repaired, and the list of a
library's copies out of circulation (lost or damaged). The use cases are in `condition.py`."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, get, post
from litestar.params import Parameter

from pustaka.access import Staff
from pustaka.web import once
from services.circulation import condition
from services.circulation.condition import CopyCondition, Damage
from services.circulation.queries.condition import SetAsideCopy
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


@post(f"{PREFIX}/items/{{barcode:str}}/damaged", status_code=200)
async def mark_damaged(
    request: Request, circulation: Circulation, staff: Staff, barcode: str, data: Damage
) -> CopyCondition:
    """Take a damaged copy out of circulation, with the reason; the catalogue and search follow."""
    return await condition.mark_damaged(
        circulation, staff, barcode, data, await once(request, "circulation", staff, 200)
    )


@post(f"{PREFIX}/items/{{barcode:str}}/repaired", status_code=200)
async def mark_repaired(request: Request, circulation: Circulation, staff: Staff, barcode: str) -> CopyCondition:
    """A damaged copy is mended: to the first member waiting for its title, or back on the shelf."""
    return await condition.mark_repaired(circulation, staff, barcode, await once(request, "circulation", staff, 200))


@get(f"{PREFIX}/libraries/{{code:str}}/copies-set-aside")
async def set_aside(
    circulation: Circulation,
    staff: Staff,
    code: str,
    status: Annotated[Literal["lost", "damaged"] | None, Parameter(query="status")] = None,
) -> list[SetAsideCopy]:
    """A library's copies marked lost or damaged at the desk (or by the catalogue), by title."""
    return await condition.copies_set_aside(circulation, staff, code, status)


HANDLERS = [mark_damaged, mark_repaired, set_aside]
