"""The pages: the public catalogue (OPAC) at `/` and `/judul/{isbn}`, the circulation desk at `/desk/`, the
district dashboard at `/dashboard/`. Static HTML, CSS and JavaScript that speak to the services' APIs.
No build step; Bahasa Indonesia first, English by a switch."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import File
from litestar.static_files import create_static_files_router

from pustaka.compression import compression
from services.web import security

STATIC = Path(__file__).resolve().parent / "static"
HTML = "text/html"  # Litestar adds "; charset=utf-8" to every text type
# Pages change with the code; the browser re-checks them (cheap 304s) rather than showing a stale desk.
NO_STALE = {"Cache-Control": "no-cache"}


def _page(name: str) -> File:
    return File(STATIC / name, media_type=HTML, content_disposition_type="inline", headers=NO_STALE)


@get("/", include_in_schema=False)
async def opac() -> File:
    return _page("index.html")


@get("/judul/{isbn:str}", include_in_schema=False)
async def title_page(isbn: str) -> File:
    """A shareable title page: the same OPAC, which reads the ISBN from the address."""
    return _page("index.html")


@get("/desk", include_in_schema=False)  # also answers /desk/
async def desk() -> File:
    return _page("desk.html")


@get("/desk/sw.js", include_in_schema=False)
async def desk_service_worker() -> File:
    """The desk's service worker, served under /desk/ so that its scope covers the desk's pages."""
    return File(
        STATIC / "desk-sw.js",
        media_type="text/javascript; charset=utf-8",
        content_disposition_type="inline",
        headers=NO_STALE,
    )


# The desk's sub-pages (their navigation is drawn by desknav.js on every desk page).
DESK_PAGES = {
    "anggota": "members.html",
    "pesanan": "holds.html",
    "eksemplar": "copies.html",
    "kunjungan": "visits.html",
    "kiosk": "kiosk.html",
    "baca": "reads.html",
    "kegiatan": "activities.html",
    "katalog": "katalog.html",
    "stok-opname": "stokopname.html",
}


@get("/desk/{name:str}", include_in_schema=False)
async def desk_page(name: str) -> File:
    if name not in DESK_PAGES:
        raise NotFoundException(f"no desk page {name}")
    return _page(DESK_PAGES[name])


@get("/dashboard", include_in_schema=False)  # also answers /dashboard/
async def dashboard() -> File:
    return _page("dashboard.html")


@get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response[bytes]:
    return Response(b"", status_code=204)


def create_app() -> Litestar:
    return Litestar(
        route_handlers=[
            opac,
            title_page,
            desk,
            desk_service_worker,
            desk_page,
            dashboard,
            favicon,
            create_static_files_router(path="/static", directories=[STATIC], cache_control=None),
        ],
        openapi_config=None,
        compression_config=compression(),
        middleware=[security.security_headers],
    )
