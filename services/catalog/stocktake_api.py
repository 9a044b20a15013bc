"""HTTP handlers of stock-taking: start, scan (JSON or a scanner's text file), the report (JSON, PDF,
XLSX) and finish. Every call needs staff of the library (or an admin). Each handler decodes the request and
calls its use case in `stocktake.py`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from pustaka.access import Staff
from pustaka.errors import Invalid
from services.catalog import stocktake
from services.catalog.service import Catalogue
from services.catalog.stocktake_reports import to_pdf, to_xlsx
from services.catalog.wire import PREFIX, once, once_for

MAX_SCANS = 5000
MAX_FILE = 1024 * 1024
Barcode = Annotated[str, msgspec.Meta(max_length=200)]


@post(f"{PREFIX}/libraries/{{code:str}}/stocktakes", status_code=201)
async def start_stocktake(request: Request, catalogue: Catalogue, staff: Staff, code: str) -> stocktake.Started:
    """Start a stock-take of a library: a snapshot of the copies expected on its shelves."""
    return await stocktake.start(catalogue, staff, code, once_for(request, staff, 201, b""))


@get(f"{PREFIX}/libraries/{{code:str}}/stocktakes")
async def list_stocktakes(catalogue: Catalogue, staff: Staff, code: str) -> list[stocktake.StocktakeRef]:
    return await stocktake.library_stocktakes(catalogue, staff, code)


class Scans(msgspec.Struct, forbid_unknown_fields=True):
    barcodes: Annotated[list[Barcode], msgspec.Meta(max_length=MAX_SCANS)]
    run: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None
    """A name for one walk along the shelves (default: the librarian): the mis-shelving rule reads runs."""


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/scans", status_code=200)
async def post_scans(
    request: Request, catalogue: Catalogue, staff: Staff, stocktake_id: int, data: Scans
) -> stocktake.ScanResult:
    """Record scanned barcodes: `{"accepted", "unknown", "unexpected", "duplicates", "scanned"}`."""
    return await stocktake.scan(
        catalogue, staff, stocktake_id, data.barcodes, data.run, await once(request, staff, 200)
    )


class ScanFile(msgspec.Struct):
    file: UploadFile
    run: str | None = None


def barcodes_of_file(content: bytes) -> list[str]:
    """A scanner's text file: one barcode a line (commas, semicolons and tabs also separate)."""
    text = content.decode("utf-8-sig", errors="replace")
    return [b for b in text.replace(",", "\n").replace(";", "\n").replace("\t", "\n").split() if b]


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/scan-files", status_code=200)
async def post_scan_file(
    request: Request,
    catalogue: Catalogue,
    staff: Staff,
    stocktake_id: int,
    data: Annotated[ScanFile, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> stocktake.ScanResult:
    """Record the barcodes of a scanner's text file (multipart field `file`), in the file's order."""
    content = await data.file.read()
    if len(content) > MAX_FILE:
        raise Invalid("file_too_large", f"the file is {len(content):,} bytes; the limit is {MAX_FILE:,}", field="file")
    barcodes = barcodes_of_file(content)
    if len(barcodes) > MAX_SCANS:
        raise Invalid("too_many_barcodes", f"at most {MAX_SCANS} barcodes in one file", field="file")
    run_name = (data.run or data.file.filename or staff.username)[:80]
    return await stocktake.scan(
        catalogue, staff, stocktake_id, barcodes, run_name, once_for(request, staff, 200, content)
    )


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}")
async def get_stocktake(catalogue: Catalogue, staff: Staff, stocktake_id: int) -> stocktake.Report:
    return await stocktake.report(catalogue, staff, stocktake_id)


class Finish(msgspec.Struct, forbid_unknown_fields=True):
    mark_missing_lost: bool = False


@post(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/finish", status_code=200)
async def finish_stocktake(
    request: Request, catalogue: Catalogue, staff: Staff, stocktake_id: int, data: Finish | None = None
) -> stocktake.Report:
    """Finish with the report; `mark_missing_lost` writes the missing copies off as lost."""
    mark = bool(data and data.mark_missing_lost)
    return await stocktake.finish(catalogue, staff, stocktake_id, mark, await once(request, staff, 200))


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/report.pdf")
async def report_pdf(catalogue: Catalogue, staff: Staff, stocktake_id: int) -> Response[bytes]:
    pdf = await asyncio.to_thread(to_pdf, await stocktake.report(catalogue, staff, stocktake_id))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="stock-opname-{stocktake_id}.pdf"'},
    )


@get(f"{PREFIX}/stocktakes/{{stocktake_id:int}}/report.xlsx")
async def report_xlsx(catalogue: Catalogue, staff: Staff, stocktake_id: int) -> Response[bytes]:
    book = await asyncio.to_thread(to_xlsx, await stocktake.report(catalogue, staff, stocktake_id))
    return Response(
        book,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="stock-opname-{stocktake_id}.xlsx"'},
    )


HANDLERS = [
    start_stocktake,
    list_stocktakes,
    post_scans,
    post_scan_file,
    get_stocktake,
    finish_stocktake,
    report_pdf,
    report_xlsx,
]
