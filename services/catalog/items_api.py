"""Item status over HTTP (the use cases are in `items.py`): circulation tells the catalogue when a copy goes
out, comes back, is lost or found. Only an admin or a service token may set a status."""

from __future__ import annotations

from litestar import Request, get, post

from pustaka.access import Staff
from services.catalog import items, views
from services.catalog.items import StatusBatch, StatusChange, StatusReport, TitleCopies
from services.catalog.service import Catalogue
from services.catalog.wire import PREFIX, once


@post(f"{PREFIX}/items/{{barcode:str}}/status", status_code=200)
async def set_item_status(
    request: Request, catalogue: Catalogue, staff: Staff, barcode: str, data: StatusChange
) -> views.Item:
    """Set one copy's status (and queue its title for the search index)."""
    return await items.set_status(catalogue, staff, barcode, data, await once(request, staff, 200))


@post(f"{PREFIX}/items/statuses", status_code=200)
async def set_item_statuses(request: Request, catalogue: Catalogue, staff: Staff, data: StatusBatch) -> StatusReport:
    """Set many copies' statuses in one transaction; the last change of a barcode in the batch wins."""
    return await items.set_statuses(catalogue, staff, data, await once(request, staff, 200))


@get(f"{PREFIX}/libraries/{{code:str}}/titles/{{isbn:str}}/items")
async def title_copies(catalogue: Catalogue, code: str, isbn: str) -> TitleCopies:
    """A title (by any written ISBN or its local code) and this library's copies of it."""
    return await items.title_copies(catalogue, code, isbn)


HANDLERS = [set_item_status, set_item_statuses, title_copies]
