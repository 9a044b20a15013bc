"""GET /api/circulation/v1/backups/latest: when the newest backup was made (the desk's and dashboard's banner)."""

from __future__ import annotations

from litestar import get

from pustaka.access import Staff
from services.circulation import backups
from services.circulation.backups import LatestBackup
from services.circulation.service import Circulation

PREFIX = "/api/circulation/v1"


@get(f"{PREFIX}/backups/latest")
async def latest(circulation: Circulation, staff: Staff) -> LatestBackup:
    """Any logged-in staff member may see it: every librarian should know when the data was last saved."""
    return await backups.latest_backup(circulation, staff)


HANDLERS = [latest]
