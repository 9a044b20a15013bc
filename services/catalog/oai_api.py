"""HTTP for exchange with other systems: the OAI-PMH endpoint `/oai` (GET or POST) and catalogue export."""

from __future__ import annotations

from urllib.parse import parse_qs

from litestar import Request, Response, get, post
from litestar.datastructures import State

from services.catalog import oai
from services.catalog.export import FORMATS, export_library
from services.catalog.service import Catalogue

XML = "text/xml; charset=utf-8"


def _repository(request: Request, state: State) -> oai.Repository:
    settings = state.settings
    scheme = request.headers.get("x-forwarded-proto", request.url.scheme)
    host = request.headers.get("host", request.url.netloc)
    return oai.Repository(
        base_url=f"{scheme}://{host}/oai",
        name=settings.oai_repository_name,
        identifier=settings.oai_repository_id,
        admin_email=settings.oai_admin_email,
        page_size=settings.oai_page_size,
    )


async def _answer(request: Request, state: State, catalogue: Catalogue, args: dict[str, list[str]]) -> Response:
    body = await oai.handle(catalogue, _repository(request, state), args)
    return Response(body, media_type=XML)


@get("/oai", include_in_schema=False)
async def oai_get(request: Request, state: State, catalogue: Catalogue) -> Response:
    """OAI-PMH 2.0 (every verb); errors are OAI errors inside a 200 answer, as the protocol says."""
    return await _answer(request, state, catalogue, parse_qs(request.url.query or "", keep_blank_values=True))


@post("/oai", include_in_schema=False, status_code=200)
async def oai_post(request: Request, state: State, catalogue: Catalogue) -> Response:
    body = (await request.body()).decode("utf-8", "replace")
    return await _answer(request, state, catalogue, parse_qs(body, keep_blank_values=True))


async def _export(catalogue: Catalogue, code: str, fmt: str, suffix: str) -> Response:
    data = await export_library(catalogue, code, fmt)
    name = f"katalog-{code}{suffix}"
    return Response(data, media_type=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@get("/api/catalog/v1/libraries/{code:str}/export.xml")
async def export_marcxml(catalogue: Catalogue, code: str) -> Response:
    """The library's catalogue as MARCXML, one 852 per copy ($a library, $h call number, $p barcode)."""
    return await _export(catalogue, code, "marcxml", ".xml")


@get("/api/catalog/v1/libraries/{code:str}/export.mrc")
async def export_iso2709(catalogue: Catalogue, code: str) -> Response:
    """The library's catalogue as ISO 2709 MARC21 (UTF-8, leader/09 'a')."""
    return await _export(catalogue, code, "iso2709", ".mrc")


@get("/api/catalog/v1/libraries/{code:str}/export.dc.xml")
async def export_dc(catalogue: Catalogue, code: str) -> Response:
    """The library's titles as simple Dublin Core (no copies)."""
    return await _export(catalogue, code, "dc", ".dc.xml")


HANDLERS = [oai_get, oai_post, export_marcxml, export_iso2709, export_dc]
