"""The pages (OPAC at `/`): static HTML, CSS and JavaScript that speak to the services' APIs.
No build step; Bahasa Indonesia first, English by a switch."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, get
from litestar.response import File
from litestar.static_files import create_static_files_router

STATIC = Path(__file__).resolve().parent / "static"


@get("/", include_in_schema=False)
async def opac() -> File:
    return File(STATIC / "index.html", media_type="text/html; charset=utf-8", content_disposition_type="inline")


def create_app() -> Litestar:
    return Litestar(route_handlers=[opac, create_static_files_router(path="/static", directories=[STATIC])],
                    openapi_config=None)
