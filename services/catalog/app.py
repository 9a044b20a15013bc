"""The catalogue service as a Litestar app: `create_app(settings, database_url)`."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from kernel.clock import Clock, JakartaClock
from pustaka.compression import compression
from pustaka.config import Settings
from pustaka.openapi import openapi
from pustaka.web import EXCEPTION_HANDLERS, pool_lifespan, problem_details, provide_pool, provide_staff
from services.catalog.api import HANDLERS
from services.catalog.care_api import HANDLERS as CARE_HANDLERS
from services.catalog.domain.manifest import MAX_BYTES
from services.catalog.enrich import enrich_lifespan
from services.catalog.holdings_api import HANDLERS as HOLDINGS_HANDLERS
from services.catalog.items_api import HANDLERS as ITEM_HANDLERS
from services.catalog.labels_api import HANDLERS as LABEL_HANDLERS
from services.catalog.oai_api import HANDLERS as OAI_HANDLERS
from services.catalog.search_api import HANDLERS as SEARCH_HANDLERS
from services.catalog.search_api import search_lifespan
from services.catalog.stocktake_api import HANDLERS as STOCKTAKE_HANDLERS
from services.catalog.wire import provide_catalogue


def create_app(settings: Settings, database_url: str, *, clock: Clock | None = None) -> Litestar:
    """The catalogue app. `clock`: the time its use cases read (`state.clock`; Asia/Jakarta by default)."""
    app = Litestar(
        route_handlers=[
            *HANDLERS,
            *ITEM_HANDLERS,
            *SEARCH_HANDLERS,
            *LABEL_HANDLERS,
            *CARE_HANDLERS,
            *STOCKTAKE_HANDLERS,
            *OAI_HANDLERS,
            *HOLDINGS_HANDLERS,
        ],
        dependencies={
            "pool": Provide(provide_pool),
            "staff": Provide(provide_staff),
            "catalogue": Provide(provide_catalogue),
        },
        lifespan=[pool_lifespan(settings, database_url), search_lifespan(settings), enrich_lifespan(settings)],
        plugins=[problem_details()],
        exception_handlers=EXCEPTION_HANDLERS,
        compression_config=compression(),
        openapi_config=openapi("Pustaka Desa — catalogue", "/api/catalog/schema"),
        request_max_body_size=MAX_BYTES + 1024 * 1024,
    )
    app.state.clock = clock or JakartaClock()
    return app
