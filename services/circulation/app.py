"""The circulation service as a Litestar app: `create_app(settings, database_url)`."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from pustaka.config import Settings
from pustaka.web import pool_lifespan, problem_details, provide_pool, provide_staff
from services.catalog.app import openapi
from services.circulation.api import HANDLERS


def create_app(settings: Settings, database_url: str) -> Litestar:
    return Litestar(
        route_handlers=HANDLERS,
        dependencies={"pool": Provide(provide_pool), "staff": Provide(provide_staff)},
        lifespan=[pool_lifespan(settings, database_url, max_size=20)],
        plugins=[problem_details()],
        openapi_config=openapi("Pustaka Desa — circulation", "/api/circulation/schema"),
    )
