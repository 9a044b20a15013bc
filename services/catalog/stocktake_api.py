"""HTTP handlers of stock-taking: start, scan (JSON or a scanner's text file), the report (JSON, PDF,
XLSX) and finish. Every call needs staff of the library (or an admin)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from pustaka.access import Staff
from pustaka.errors import Invalid
from pustaka.web import idempotent
from services.catalog import stocktake
from services.catalog.stocktake_reports import to_pdf, to_xlsx

PREFIX = "/api/catalog/v1"
MAX_SCANS = 5000
MAX_FILE = 1024 * 1024
Barcode = Annotated[str, msgspec.Meta(max_length=200)]


@post(f"{PREFIX}/libraries/{{code:str}}/stocktakes", status_code=201)
async def start_stocktake(request: Request, pool: asyncpg.Pool, staff: Staff,
                          code: str) -> Response[stocktake.Started]:
    """Start a stock-take of a library: a snapshot of the copies expected on its shelves."""
    async def run(conn: asyncpg.Connection) -> tuple[int, stocktake.Started]:
        return 201, await stocktake.start(conn, code, staff)

    return await idempotent(request, pool, "catalog", staff.username, b"", run)


@get(f"{PREFIX}/libraries/{{code:str}}/stocktakes")
async def list_stocktakes(pool: asyncpg.Pool, staff: Staff, code: str) -> list[stocktake.StocktakeRef]:
    async with pool.acquire() as conn:
        return await stocktake.library_stocktakes(conn, code, staff)


class Scans(msgspec.Struct, forbid_unknown_fields=True):
    barcodes: Annotated[list[Barcode], msgspec.Meta(max_length=MAX_SCANS)]
    run: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None
    """A name for one walk along the shelves (default: the librarian): the mis-shelving rule reads runs."""


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/scans", status_code=200)
async def post_scans(request: Request, pool: asyncpg.Pool, staff: Staff, stocktake_id: int,
                     data: Scans) -> Response[stocktake.ScanResult]:
    """Record scanned barcodes: `{"accepted", "unknown", "unexpected", "duplicates", "scanned"}`."""
    async def run(conn: asyncpg.Connection) -> tuple[int, stocktake.ScanResult]:
        return 200, await stocktake.scan(conn, stocktake_id, data.barcodes, staff, data.run)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


class ScanFile(msgspec.Struct):
    file: UploadFile
    run: str | None = None


def barcodes_of_file(content: bytes) -> list[str]:
    """A scanner's text file: one barcode a line (commas, semicolons and tabs also separate)."""
    text = content.decode("utf-8-sig", errors="replace")
    return [b for b in text.replace(",", "\n").replace(";", "\n").replace("\t", "\n").split() if b]


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/scan-files", status_code=200)
async def post_scan_file(request: Request, pool: asyncpg.Pool, staff: Staff, stocktake_id: int,
                         data: Annotated[ScanFile, Body(media_type=RequestEncodingType.MULTI_PART)],
                         ) -> Response[stocktake.ScanResult]:
    """Record the barcodes of a scanner's text file (multipart field `file`), in the file's order."""
    content = await data.file.read()
    if len(content) > MAX_FILE:
        raise Invalid("file_too_large", f"the file is {len(content):,} bytes; the limit is {MAX_FILE:,}",
                      field="file")
    barcodes = barcodes_of_file(content)
    if len(barcodes) > MAX_SCANS:
        raise Invalid("too_many_barcodes", f"at most {MAX_SCANS} barcodes in one file", field="file")
    run_name = (data.run or data.file.filename or staff.username)[:80]

    async def run(conn: asyncpg.Connection) -> tuple[int, stocktake.ScanResult]:
        return 200, await stocktake.scan(conn, stocktake_id, barcodes, staff, run_name)

    return await idempotent(request, pool, "catalog", staff.username, content, run)


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}")
async def get_stocktake(pool: asyncpg.Pool, staff: Staff, stocktake_id: int) -> stocktake.Report:
    async with pool.acquire() as conn:
        return await stocktake.report(conn, stocktake_id, staff)


class Finish(msgspec.Struct, forbid_unknown_fields=True):
    mark_missing_lost: bool = False


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/finish", status_code=200)
async def finish_stocktake(request: Request, pool: asyncpg.Pool, staff: Staff, stocktake_id: int,
                           data: Finish | None = None) -> Response[stocktake.Report]:
    """Finish with the report; `mark_missing_lost` writes the missing copies off as lost."""
    mark = bool(data and data.mark_missing_lost)

    async def run(conn: asyncpg.Connection) -> tuple[int, stocktake.Report]:
        return 200, await stocktake.finish(conn, stocktake_id, mark, staff)

    return await idempotent(request, pool, "catalog", staff.username, await request.body(), run)


async def _report(pool: asyncpg.Pool, staff: Staff, stocktake_id: int) -> stocktake.Report:
    async with pool.acquire() as conn:
        return await stocktake.report(conn, stocktake_id, staff)


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/report.pdf")
async def report_pdf(pool: asyncpg.Pool, staff: Staff, stocktake_id: int) -> Response[bytes]:
    pdf = await asyncio.to_thread(to_pdf, await _report(pool, staff, stocktake_id))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="stock-opname-{stocktake_id}.pdf"'})


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/report.xlsx")
async def report_xlsx(pool: asyncpg.Pool, staff: Staff, stocktake_id: int) -> Response[bytes]:
    book = await asyncio.to_thread(to_xlsx, await _report(pool, staff, stocktake_id))
    return Response(book, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="stock-opname-{stocktake_id}.xlsx"'})


HANDLERS = [start_stocktake, list_stocktakes, post_scans, post_scan_file, get_stocktake, finish_stocktake,
            report_pdf, report_xlsx]
