"""Bringing the system up: find or start the database server, create the database, migrate."""

from __future__ import annotations

import asyncpg

from pustaka.config import Settings
from pustaka.database import application_url, ensure_database
from pustaka.migrations import migrate


async def prepare_database(settings: Settings) -> str:
    """Start/join the server, create the database if needed, apply migrations; return the database URL."""
    url = application_url(settings)
    await ensure_database(url)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url


def build_app(settings: Settings, database_url: str):
    """The whole system as one ASGI app: both services (and the pages) behind the URL layout."""
    from pustaka.gateway import Gateway
    from pustaka.logs import RequestIds
    from services.catalog.app import create_app as catalog_app
    from services.circulation.app import create_app as circulation_app

    from services.web.app import create_app as pages_app

    catalog = catalog_app(settings, database_url)
    return RequestIds(Gateway([
        ("/api/catalog", catalog),
        ("/api/circulation", circulation_app(settings, database_url, catalog_app=catalog)),
    ], fallback=pages_app()))
