"""HTTP handlers for a library's loan policies and calendar; each calls its use case in `policies.py`."""

from __future__ import annotations

from litestar import get, put

from pustaka.access import Staff
from services.circulation import policies
from services.circulation.domain.policy import LoanPolicy
from services.circulation.policies import CalendarChange
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


@get(f"{PREFIX}/libraries/{{code:str}}/loan-policies")
async def library_rules(circulation: Circulation, staff: Staff, code: str) -> policies.LibraryRules:
    """The loan policy of each member category (defaults where none is set) and the calendar."""
    return await policies.library_rules(circulation, staff, code)


@put(f"{PREFIX}/libraries/{{code:str}}/loan-policies/{{category:str}}")
async def set_policy(
    circulation: Circulation, staff: Staff, code: str, category: str, data: LoanPolicy
) -> policies.LibraryRules:
    """Set the loan policy of one member category (anak, remaja, dewasa, lansia)."""
    return await policies.set_policy(circulation, staff, code, category, data)


@put(f"{PREFIX}/libraries/{{code:str}}/calendar")
async def set_calendar(
    circulation: Circulation, staff: Staff, code: str, data: CalendarChange
) -> policies.LibraryRules:
    """Set the closed weekdays and the closed dates from today on; due dates move to the next open day."""
    return await policies.set_calendar(circulation, staff, code, data)


HANDLERS = [library_rules, set_policy, set_calendar]
