"""POST /privacy/anonymisations: the one statistics-related write a user asks for (admins only)."""

from __future__ import annotations

from litestar import Request, post

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff
from pustaka.web import once
from services.circulation.service import Circulation
from services.circulation.stats import privacy

PREFIX = CIRCULATION_PREFIX


@post(f"{PREFIX}/privacy/anonymisations", status_code=200)
async def anonymise(
    request: Request, circulation: Circulation, staff: Staff, data: privacy.Anonymisation
) -> privacy.Anonymised:
    """Admin only: unlink members from loans returned more than `older_than_days` ago; statistics keep."""
    return await privacy.anonymise(circulation, staff, data, await once(request, "circulation", staff, 200))


HANDLERS = [anonymise]
