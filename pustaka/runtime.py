"""The composition root's assembly: the whole system as one ASGI app, and the catalogue app a command of the
embedded default reaches in process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


def circulation_routes(
    settings: Settings, database_url: str, catalog_app: Any | None = None, clock: Any | None = None
) -> list[tuple[str, Any]]:
    """The circulation service as it is served: the statistics URLs to reporting, the rest to circulation,
    sharing one statistics upkeep (circulation runs it; reporting waits on it, see docs/architecture.md)."""
    from services.circulation.app import create_app as circulation_app
    from services.circulation.stats.upkeep import StatsUpkeep
    from services.reporting.app import ROUTE
    from services.reporting.app import create_app as reporting_app

    upkeep = StatsUpkeep()
    return [
        (ROUTE, reporting_app(settings, database_url, freshness=upkeep, held_titles=upkeep.held_titles, clock=clock)),
        (
            "/api/circulation",
            circulation_app(settings, database_url, catalog_app=catalog_app, upkeep=upkeep, clock=clock),
        ),
    ]


@asynccontextmanager
async def reporting_model() -> AsyncIterator[Any]:
    """The read model for one `pustaka stats` command: a pool, and circulation folding and refreshing at
    once when the report asks (a command runs no background rounds)."""
    from pustaka.config import load_settings
    from services.circulation.app import catalog_client
    from services.circulation.stats.upkeep import UpkeepNow
    from services.reporting.freshness import ReadModel

    settings = load_settings()
    url = await prepare_database(settings)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    catalog = catalog_client(settings, in_process_catalog(settings, url, pool))
    try:
        now = UpkeepNow(pool, catalog)
        yield ReadModel(pool, now, now.held_titles)
    finally:
        await catalog.aclose()
        await pool.close()


def build_app(settings: Settings, database_url: str, clock: Any | None = None):
    """The whole system as one ASGI app: both services (and the pages) behind the URL layout. `clock` (a
    `kernel.clock.Clock`): the time every service reads; the real Asia/Jakarta time by default."""
    from pustaka.gateway import Gateway
    from pustaka.requests import RequestIds
    from services.catalog.app import create_app as catalog_app
    from services.catalog.search_api import SearchFastPath
    from services.web.app import create_app as pages_app

    catalog = catalog_app(settings, database_url, clock=clock)
    served: Any = SearchFastPath(catalog)  # searches answered without Litestar's request machinery
    pages: Any = pages_app()
    return RequestIds(
        Gateway(
            [
                ("/api/catalog", served),
                ("/oai", served),  # OAI-PMH for Indonesia OneSearch, served by the catalogue
                *circulation_routes(settings, database_url, catalog, clock),
            ],
            fallback=pages,
        )
    )
