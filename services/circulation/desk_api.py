"""HTTP handlers of the circulation desk: check out, check in, renew, lost and found, overdue, a copy.
Each decodes the request, calls its use case in `lending.py` and returns the answer."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, get, post
from litestar.params import Parameter

from pustaka.access import Staff
from pustaka.web import once
from services.circulation import lending, views
from services.circulation.lending import CheckOut, CopyScan
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


@post(f"{PREFIX}/loans", status_code=201)
async def check_out(request: Request, circulation: Circulation, staff: Staff, data: CheckOut) -> lending.Loan:
    """Check out a copy (by barcode) to a member (by number); refusals are 409/422 with a `code`."""
    return await lending.check_out(circulation, staff, data, await once(request, "circulation", staff, 201))


@post(f"{PREFIX}/returns", status_code=200)
async def check_in(request: Request, circulation: Circulation, staff: Staff, data: CopyScan) -> lending.Return:
    """Check in a copy; `hold_waiting` names the member to keep it for, when one is waiting."""
    return await lending.check_in(circulation, staff, data, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/loans/{{loan_id:int}}/renewals", status_code=200)
async def renew(request: Request, circulation: Circulation, staff: Staff, loan_id: int) -> lending.Renewal:
    """Renew a loan: a new due date, unless renewals are used up or someone waits for the title."""
    return await lending.renew(circulation, staff, loan_id, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/renewals", status_code=200)
async def renew_copy(request: Request, circulation: Circulation, staff: Staff, data: CopyScan) -> lending.Renewal:
    """Renew the open loan of a copy by its barcode (what a desk scans, also when queued offline)."""
    return await lending.renew_copy(circulation, staff, data, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/items/{{barcode:str}}/lost", status_code=200)
async def mark_lost(request: Request, circulation: Circulation, staff: Staff, barcode: str) -> lending.ItemState:
    """Declare a copy lost (its open loan is closed as lost)."""
    return await lending.mark_lost(circulation, staff, barcode, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/items/{{barcode:str}}/found", status_code=200)
async def mark_found(request: Request, circulation: Circulation, staff: Staff, barcode: str) -> lending.ItemState:
    """A lost copy is back: to the first member waiting for its title, or to the shelf."""
    return await lending.mark_found(circulation, staff, barcode, await once(request, "circulation", staff, 200))


@get(f"{PREFIX}/items/{{barcode:str}}")
async def copy_at_desk(circulation: Circulation, staff: Staff, barcode: str) -> views.CopyView:
    """A copy as circulation sees it: its status, open loan and the hold it waits for."""
    return await lending.copy_at_desk(circulation, staff, barcode)


@get(f"{PREFIX}/loans/{{loan_id:int}}")
async def get_loan(circulation: Circulation, staff: Staff, loan_id: int) -> views.LoanView:
    """One loan, open or closed."""
    return await lending.loan(circulation, staff, loan_id)


@get(f"{PREFIX}/libraries/{{code:str}}/overdue")
async def overdue(circulation: Circulation, staff: Staff, code: str) -> list[views.OverdueLoan]:
    """Open loans past their due date, longest overdue first, with whom to remind."""
    return await lending.overdue(circulation, staff, code)


@get(f"{PREFIX}/members/{{number:str}}/loans")
async def member_loans(
    circulation: Circulation,
    staff: Staff,
    number: str,
    status: Annotated[Literal["open", "closed", "all"], Parameter(query="status")] = "open",
) -> list[views.LoanView]:
    """A member's open loans, loan history (closed) or all, newest first."""
    return await lending.member_loans(circulation, staff, number, status)


HANDLERS = [
    check_out,
    check_in,
    renew,
    renew_copy,
    mark_lost,
    mark_found,
    copy_at_desk,
    get_loan,
    overdue,
    member_loans,
]
