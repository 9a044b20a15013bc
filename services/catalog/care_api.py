"""HTTP handlers of catalogue care: title editing and classification, copies outside packages, withdrawal
and damage, spine labels for chosen copies, and the copy-change feed circulation follows. Each decodes the
request, calls its use case and returns the answer."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, get, patch, post
from litestar.params import Parameter

from pustaka.access import Staff
from services.catalog import acquisitions, conditions, copy_feed, labels, suggestions, title_editing, views
from services.catalog.acquisitions import Acquired, Acquisition
from services.catalog.conditions import Reason
from services.catalog.copy_feed import CopyChanges
from services.catalog.labels import Kind
from services.catalog.service import Catalogue
from services.catalog.suggestions import UnclassifiedPage
from services.catalog.title_editing import ClassificationBatch, ClassificationReport, EditedTitle, TitleChanges
from services.catalog.wire import PREFIX, once


@patch(f"{PREFIX}/titles/{{isbn:str}}")
async def patch_title(catalogue: Catalogue, staff: Staff, isbn: str, data: TitleChanges) -> EditedTitle:
    """Correct a title (admin, or staff of a library holding it); call numbers and search follow."""
    return await title_editing.edit_title(catalogue, staff, isbn, data)


@post(f"{PREFIX}/classifications", status_code=200)
async def post_classifications(
    request: Request, catalogue: Catalogue, staff: Staff, data: ClassificationBatch
) -> ClassificationReport:
    """Set the class of many titles at once (the librarian's confirmed suggestions)."""
    return await title_editing.classify(catalogue, staff, data, await once(request, staff, 200))


@get(f"{PREFIX}/libraries/{{code:str}}/unclassified")
async def get_unclassified(
    catalogue: Catalogue,
    code: str,
    page: Annotated[int, Parameter(ge=1)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> UnclassifiedPage:
    """The library's titles without a class, each with a suggested class to confirm."""
    return await suggestions.unclassified(catalogue, code, page, per_page)


@post(f"{PREFIX}/libraries/{{code:str}}/acquisitions", status_code=201)
async def post_acquisition(
    request: Request, catalogue: Catalogue, staff: Staff, code: str, data: Acquisition
) -> Acquired:
    """Add donated or bought copies by ISBN (typed, or the EAN-13 scanned from the back cover)."""
    return await acquisitions.add_copies(catalogue, staff, code, data, await once(request, staff, 201))


def _condition_handler(path: str, status: str, doc: str):
    @post(f"{PREFIX}/items/{{barcode:str}}/{path}", status_code=200, name=f"item_{path}", description=doc)
    async def handler(request: Request, catalogue: Catalogue, staff: Staff, barcode: str, data: Reason) -> views.Item:
        return await conditions.set_condition(catalogue, staff, barcode, status, data, await once(request, staff, 200))

    return handler


withdraw_item = _condition_handler("withdrawal", "withdrawn", "Withdraw a copy (weeding) with the reason.")
damage_item = _condition_handler("damage", "damaged", "Mark a copy damaged with the reason.")


@get(f"{PREFIX}/libraries/{{code:str}}/labels.pdf")
async def library_labels(
    catalogue: Catalogue,
    staff: Staff,
    code: str,
    barcodes: Annotated[str, Parameter(query="barcodes")],
    kind: Kind = "spine",
) -> Response[bytes]:
    """Reprint labels of chosen copies (comma-separated barcodes), e.g. after their call number changed."""
    wanted = [b.strip() for b in barcodes.split(",") if b.strip()]
    pdf = await labels.reprint_labels(catalogue, staff, code, wanted, kind)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="label-cetak-ulang.pdf"'}
    )


@get(f"{PREFIX}/copy-changes")
async def copy_changes(
    catalogue: Catalogue,
    after: Annotated[int, Parameter(ge=0)] = 0,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
) -> CopyChanges:
    """Copies whose title facts or condition the catalogue changed (edit, withdrawal, damage, written off
    after a stock-take), in order; circulation follows this feed to keep its replica current."""
    return await copy_feed.copy_changes(catalogue, after, limit)


HANDLERS = [
    patch_title,
    post_classifications,
    get_unclassified,
    post_acquisition,
    withdraw_item,
    damage_item,
    library_labels,
    copy_changes,
]
