"""HTTP handlers of the catalogue: decode, call the use case or view, answer. Writes need a staff token."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, BinaryIO, cast

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from pustaka.access import Staff
from pustaka.unit_of_work import Once
from search.status import search_status
from services.catalog import ingest, review, views
from services.catalog.ingest import Delivery, IngestReport
from services.catalog.review import Resubmission
from services.catalog.service import Catalogue
from services.catalog.wire import PREFIX, once, once_for


@get("/api/catalog/health")
async def health(pool: asyncpg.Pool, request: Request) -> dict[str, object]:
    """The service answers; `search` says whether search is ready, preparing its index, or unreachable."""
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    state = request.app.state
    status = await search_status(pool, state.search, state.search_indexer)
    return {"status": "ok", "service": "catalog", "search": status.state, "search_documents": status.documents}


@get(f"{PREFIX}/libraries")
async def list_libraries(catalogue: Catalogue) -> list[views.Library]:
    return await catalogue.read(views.libraries)


@get(f"{PREFIX}/libraries/{{code:str}}")
async def get_library(catalogue: Catalogue, code: str) -> views.Library:
    return await catalogue.read(lambda conn: views.library(conn, code))


class PackageUpload(msgspec.Struct):
    file: UploadFile
    program_year: int | None = None
    received_on: dt.date | None = None
    dry_run: bool = False


@post(f"{PREFIX}/libraries/{{code:str}}/packages", status_code=201)
async def upload_package(
    request: Request,
    catalogue: Catalogue,
    staff: Staff,
    code: str,
    data: Annotated[PackageUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Response[IngestReport]:
    """Ingest an aid-package manifest (multipart field `file`): 201 with the report, 200 if already ingested."""
    # Litestar spooled the upload to a temporary file: it is read from there, in pieces.
    delivery = Delivery(
        code,
        cast(BinaryIO, data.file.file),
        data.file.filename or "upload",
        data.program_year,
        data.received_on,
        data.dry_run,
    )

    # The replay fingerprint covers the file through its checksum: the file itself is never held in memory.
    def key(checksum: str) -> Once | None:
        return once_for(request, staff, 201, checksum.encode())

    report = await ingest.ingest(catalogue, staff, delivery, key)
    return Response(report, status_code=ingest.answer_status(delivery, report))


@get(f"{PREFIX}/libraries/{{code:str}}/packages")
async def list_packages(catalogue: Catalogue, code: str) -> list[views.Package]:
    return await catalogue.read(lambda conn: views.packages(conn, code))


@get(f"{PREFIX}/packages/{{package_id:int}}")
async def get_package(catalogue: Catalogue, package_id: int) -> views.Package:
    return await catalogue.read(lambda conn: views.package(conn, package_id))


@get(f"{PREFIX}/packages/{{package_id:int}}/rejections")
async def list_rejections(
    catalogue: Catalogue,
    package_id: int,
    status: Annotated[str | None, Parameter(query="status")] = "open",
) -> list[review.RejectionView]:
    return await review.rejections(catalogue, package_id, status)


@post(f"{PREFIX}/packages/{{package_id:int}}/rejections/{{rejection_id:int}}/resubmissions", status_code=201)
async def resubmit_rejection(
    request: Request,
    catalogue: Catalogue,
    staff: Staff,
    package_id: int,
    rejection_id: int,
    data: Resubmission,
) -> review.Resolution:
    """Re-submit a rejected row with corrected values (or accept it as a title without ISBN)."""
    return await review.resubmit(catalogue, staff, package_id, rejection_id, data, await once(request, staff, 201))


@post(f"{PREFIX}/packages/{{package_id:int}}/rejections/{{rejection_id:int}}/dismissal", status_code=200)
async def dismiss_rejection(
    request: Request,
    catalogue: Catalogue,
    staff: Staff,
    package_id: int,
    rejection_id: int,
) -> review.RejectionView:
    return await review.dismiss(catalogue, staff, package_id, rejection_id, once_for(request, staff, 200, b""))


@get(f"{PREFIX}/libraries/{{code:str}}/items")
async def list_items(
    catalogue: Catalogue,
    code: str,
    status: str | None = None,
    page: Annotated[int, Parameter(ge=1)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> views.ItemPage:
    return await catalogue.read(lambda conn: views.items(conn, code, status, page, per_page))


@get(f"{PREFIX}/libraries/{{code:str}}/titles")
async def list_titles(
    catalogue: Catalogue,
    code: str,
    page: Annotated[int, Parameter(ge=1)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> views.TitlePage:
    return await catalogue.read(lambda conn: views.titles(conn, code, page, per_page))


@get(f"{PREFIX}/titles/{{isbn:str}}")
async def get_title(catalogue: Catalogue, isbn: str) -> views.Title:
    return await catalogue.read(lambda conn: views.title(conn, isbn))


@get(f"{PREFIX}/items/{{barcode:str}}")
async def get_item(catalogue: Catalogue, barcode: str) -> views.Item:
    return await catalogue.read(lambda conn: views.item(conn, barcode))


HANDLERS = [
    health,
    list_libraries,
    get_library,
    upload_package,
    list_packages,
    get_package,
    list_rejections,
    resubmit_rejection,
    dismiss_rejection,
    list_items,
    list_titles,
    get_title,
    get_item,
]
