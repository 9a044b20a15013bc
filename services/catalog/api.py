"""HTTP handlers of the catalogue: decode, call the use case or view, answer. Writes need a staff token."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from typing import Annotated

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from kernel.wire import CATALOG_PREFIX
from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.web import authorise, idempotent
from search.status import search_status
from services.catalog import review, views
from services.catalog.domain.manifest import MAX_BYTES, UnusableManifest
from services.catalog.ingest import IngestReport, file_checksum, ingest_package

PREFIX = CATALOG_PREFIX


@get("/api/catalog/health")
async def health(pool: asyncpg.Pool, request: Request) -> dict[str, object]:
    """The service answers; `search` says whether search is ready, preparing its index, or unreachable."""
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    state = request.app.state
    status = await search_status(pool, state.search, state.search_indexer)
    return {"status": "ok", "service": "catalog", "search": status.state, "search_documents": status.documents}


@get(f"{PREFIX}/libraries")
async def list_libraries(pool: asyncpg.Pool) -> list[views.Library]:
    async with pool.acquire() as conn:
        return await views.libraries(conn)


@get(f"{PREFIX}/libraries/{{code:str}}")
async def get_library(pool: asyncpg.Pool, code: str) -> views.Library:
    async with pool.acquire() as conn:
        return await views.library(conn, code)


class PackageUpload(msgspec.Struct):
    file: UploadFile
    program_year: int | None = None
    received_on: dt.date | None = None
    dry_run: bool = False


@post(f"{PREFIX}/libraries/{{code:str}}/packages", status_code=201)
async def upload_package(
    request: Request, pool: asyncpg.Pool, staff: Staff, code: str,
    data: Annotated[PackageUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Response[IngestReport]:
    """Ingest an aid-package manifest (multipart field `file`): 201 with the report, 200 if already ingested."""
    authorise(staff, Action.CATALOGUE, code)
    upload = data.file.file  # Litestar spooled the upload to a temporary file: it is read from there, in pieces
    size = upload.seek(0, io.SEEK_END)
    if size > MAX_BYTES:
        raise Invalid("file_too_large", f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}", field="file")
    checksum = await asyncio.to_thread(file_checksum, upload)

    async def run(conn: asyncpg.Connection) -> tuple[int, IngestReport]:
        try:
            report = await ingest_package(
                conn, library=code, file=upload, checksum=checksum, source_name=data.file.filename or "upload",
                actor=staff.username, program_year=data.program_year, received_on=data.received_on,
                dry_run=data.dry_run,
            )
        except UnusableManifest as exc:
            raise Invalid(exc.code, exc.message, field="file") from None
        return (200 if report.already_ingested or data.dry_run else 201), report

    # The replay fingerprint covers the file through its checksum: the file itself is never held in memory.
    return await idempotent(request, pool, "catalog", staff.username, checksum.encode(), run)


@get(f"{PREFIX}/libraries/{{code:str}}/packages")
async def list_packages(pool: asyncpg.Pool, code: str) -> list[views.Package]:
    async with pool.acquire() as conn:
        return await views.packages(conn, code)


@get(f"{PREFIX}/packages/{{package_id:int}}")
async def get_package(pool: asyncpg.Pool, package_id: int) -> views.Package:
    async with pool.acquire() as conn:
        return await views.package(conn, package_id)


@get(f"{PREFIX}/packages/{{package_id:int}}/rejections")
async def list_rejections(
    pool: asyncpg.Pool, package_id: int,
    status: Annotated[str | None, Parameter(query="status")] = "open",
) -> list[review.RejectionView]:
    if status not in (None, "open", "fixed", "accepted_local", "dismissed", "all"):
        raise Invalid("status_invalid", "status must be open, fixed, accepted_local, dismissed or all", field="status")
    async with pool.acquire() as conn:
        return await review.list_rejections(conn, package_id, None if status == "all" else status)


class Resubmission(msgspec.Struct, forbid_unknown_fields=True):
    values: dict[str, str] = {}
    without_isbn: bool = False


async def _package_library(pool: asyncpg.Pool, package_id: int) -> str:
    async with pool.acquire() as conn:
        return (await views.package(conn, package_id)).library


@post(f"{PREFIX}/packages/{{package_id:int}}/rejections/{{rejection_id:int}}/resubmissions", status_code=201)
async def resubmit_rejection(
    request: Request, pool: asyncpg.Pool, staff: Staff, package_id: int, rejection_id: int, data: Resubmission,
) -> Response[review.Resolution]:
    """Re-submit a rejected row with corrected values (or accept it as a title without ISBN)."""
    authorise(staff, Action.CATALOGUE, await _package_library(pool, package_id))

    async def run(conn: asyncpg.Connection) -> tuple[int, review.Resolution]:
        return 201, await review.resubmit(conn, package_id=package_id, rejection_id=rejection_id,
                                          fixes=data.values, actor=staff.username, without_isbn=data.without_isbn)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


@post(f"{PREFIX}/packages/{{package_id:int}}/rejections/{{rejection_id:int}}/dismissal", status_code=200)
async def dismiss_rejection(
    request: Request, pool: asyncpg.Pool, staff: Staff, package_id: int, rejection_id: int,
) -> Response[review.RejectionView]:
    authorise(staff, Action.CATALOGUE, await _package_library(pool, package_id))

    async def run(conn: asyncpg.Connection) -> tuple[int, review.RejectionView]:
        return 200, await review.dismiss(conn, package_id=package_id, rejection_id=rejection_id, actor=staff.username)

    return await idempotent(request, pool, "catalog", staff.username, b"", run)


@get(f"{PREFIX}/libraries/{{code:str}}/items")
async def list_items(
    pool: asyncpg.Pool, code: str, status: str | None = None,
    page: Annotated[int, Parameter(ge=1)] = 1, per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> views.ItemPage:
    async with pool.acquire() as conn:
        return await views.items(conn, code, status, page, per_page)


@get(f"{PREFIX}/libraries/{{code:str}}/titles")
async def list_titles(
    pool: asyncpg.Pool, code: str,
    page: Annotated[int, Parameter(ge=1)] = 1, per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> views.TitlePage:
    async with pool.acquire() as conn:
        return await views.titles(conn, code, page, per_page)


@get(f"{PREFIX}/titles/{{isbn:str}}")
async def get_title(pool: asyncpg.Pool, isbn: str) -> views.Title:
    async with pool.acquire() as conn:
        return await views.title(conn, isbn)


@get(f"{PREFIX}/items/{{barcode:str}}")
async def get_item(pool: asyncpg.Pool, barcode: str) -> views.Item:
    async with pool.acquire() as conn:
        return await views.item(conn, barcode)


HANDLERS = [health, list_libraries, get_library, upload_package, list_packages, get_package, list_rejections,
            resubmit_rejection, dismiss_rejection, list_items, list_titles, get_title, get_item]
