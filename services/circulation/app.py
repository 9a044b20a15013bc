"""The circulation service as a Litestar app: `create_app(settings, database_url)`.

`catalog_app`: the catalogue app of the same process (the embedded default), reached in-process; without
it the catalogue is at PUSTAKA_CATALOG_URL, or at the loopback address `pustaka up` serves.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide

from kernel.clock import Clock, JakartaClock
from pustaka.compression import compression
from pustaka.config import Settings
from pustaka.openapi import openapi
from pustaka.web import EXCEPTION_HANDLERS, pool_lifespan, problem_details, provide_pool, provide_staff
from services.circulation import (  # the desk's sub-pages
    api,
    backups_api,
    cards_api,
    condition_api,
    daybook_api,
    desk_api,
    holds_api,
    lending_area_api,
    members_api,
    policies_api,
    users_api,
    visitors_api,
)
from services.circulation.background import background
from services.circulation.clients.catalog import CatalogClient
from services.circulation.service import Circulation
from services.circulation.stats.upkeep import StatsUpkeep

JSON_BODY_LIMIT = 64 * 1024


async def _no_session_state(conn) -> None:
    """Circulation keeps no session state on pooled connections (the relay unlocks its own lock), so a
    connection goes back to the pool without asyncpg's reset round trip."""


def catalog_client(settings: Settings, catalog_app: Any | None = None) -> CatalogClient:
    """The client circulation uses to reach the catalogue, in-process or over HTTP."""
    if catalog_app is not None:
        return CatalogClient.over_asgi(catalog_app, settings)
    return CatalogClient.over_http(settings.catalog_url or f"http://{settings.host}:{settings.port}", settings)


async def provide_circulation(state: State) -> Circulation:
    return state.circulation


def create_app(
    settings: Settings,
    database_url: str,
    *,
    catalog_app: Any | None = None,
    upkeep: StatsUpkeep | None = None,
    clock: Clock | None = None,
) -> Litestar:
    """The circulation app; its lifespan owns the pool, the outbox relay, the hold expiry and the statistics
    upkeep (`upkeep`: shared with the reporting app by the composition root). `clock`: the time its use cases
    read (Asia/Jakarta by default; tests fix it)."""
    return Litestar(
        route_handlers=[
            *api.HANDLERS,
            *desk_api.HANDLERS,
            *members_api.HANDLERS,
            *holds_api.HANDLERS,
            *policies_api.HANDLERS,
            *daybook_api.HANDLERS,
            *cards_api.HANDLERS,
            *condition_api.HANDLERS,
            *visitors_api.HANDLERS,
            *lending_area_api.HANDLERS,
            *users_api.HANDLERS,
            *backups_api.HANDLERS,
        ],
        dependencies={
            "pool": Provide(provide_pool),
            "staff": Provide(provide_staff),
            "circulation": Provide(provide_circulation),
        },
        lifespan=[
            pool_lifespan(settings, database_url, max_size=20, reset=_no_session_state),
            background(lambda: catalog_client(settings, catalog_app), clock or JakartaClock()),
            (upkeep or StatsUpkeep()).lifespan(),
        ],
        plugins=[problem_details()],
        exception_handlers=EXCEPTION_HANDLERS,
        compression_config=compression(),
        openapi_config=openapi("Pustaka Desa — circulation", "/api/circulation/schema"),
        request_max_body_size=JSON_BODY_LIMIT,
    )
