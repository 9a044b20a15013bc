"""The composition root's assembly: the whole system as one ASGI app, and the catalogue app a command of the
embedded default reaches in process."""

from __future__ import annotations

from typing import Any

import asyncpg

from pustaka.config import Settings
from pustaka.migrations import prepare_database  # noqa: F401  (part of this module's interface)


def in_process_catalog(settings: Settings, database_url: str, pool: asyncpg.Pool) -> Any | None:
    """The catalogue app for a command of the embedded default, sharing the command's pool; None when
    PUSTAKA_CATALOG_URL names a catalogue reached over HTTP."""
    if settings.catalog_url is not None:
        return None
    from services.catalog.app import create_app

    app = create_app(settings, database_url)
    app.state.pool = pool
    app.state.settings = settings
    return app


def build_app(settings: Settings, database_url: str):
    """The whole system as one ASGI app: both services (and the pages) behind the URL layout."""
    from pustaka.gateway import Gateway
    from pustaka.requests import RequestIds
    from services.catalog.app import create_app as catalog_app
    from services.catalog.search_api import SearchFastPath
    from services.circulation.app import create_app as circulation_app
    from services.web.app import create_app as pages_app

    catalog = catalog_app(settings, database_url)
    served = SearchFastPath(catalog)  # searches answered without Litestar's request machinery
    circulation: Any = circulation_app(settings, database_url, catalog_app=catalog)
    pages: Any = pages_app()
    return RequestIds(Gateway([
        ("/api/catalog", served),
        ("/oai", served),  # OAI-PMH for Indonesia OneSearch, served by the catalogue
        ("/api/circulation", circulation),
    ], fallback=pages))
