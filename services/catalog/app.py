"""The catalogue service as a Litestar app: `create_app(settings, database_url)`."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from pustaka.config import Settings
from pustaka.web import pool_lifespan, problem_details, provide_pool, provide_staff
from services.catalog.api import HANDLERS
from services.catalog.items_api import HANDLERS as ITEM_HANDLERS
from services.catalog.labels_api import HANDLERS as LABEL_HANDLERS
from services.catalog.domain.manifest import MAX_BYTES
from services.catalog.enrich import enrich_lifespan
from services.catalog.search_api import HANDLERS as SEARCH_HANDLERS, search_lifespan
from services.catalog.holdings_api import HANDLERS as HOLDINGS_HANDLERS


def openapi(title: str, path: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=title, version="1.0.0", path=path,
        components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer",
                                                                          bearer_format="JWT")}),
        security=[{"bearer": []}],
    )


def create_app(settings: Settings, database_url: str) -> Litestar:
    return Litestar(
        route_handlers=[*HANDLERS, *ITEM_HANDLERS, *SEARCH_HANDLERS, *LABEL_HANDLERS, *HOLDINGS_HANDLERS],
        dependencies={"pool": Provide(provide_pool), "staff": Provide(provide_staff)},
        lifespan=[pool_lifespan(settings, database_url), search_lifespan(settings), enrich_lifespan(settings)],
        plugins=[problem_details()],
        openapi_config=openapi("Pustaka Desa — catalogue", "/api/catalog/schema"),
        request_max_body_size=MAX_BYTES + 1024 * 1024,
    )
