"""The reporting service as a Litestar app: `create_app(settings, database_url, freshness=, held_titles=)`.

It reads circulation's read model with a small pool of its own. `freshness` and `held_titles` are the
write side's ports (freshness.py), handed in by the composition root; without them reports answer from
what is already there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide

from kernel.clock import Clock, JakartaClock
from kernel.wire import CIRCULATION_PREFIX
from pustaka.compression import compression
from pustaka.config import Settings
from pustaka.openapi import openapi
from pustaka.web import pool_lifespan, problem_details, provide_pool, provide_staff
from services.reporting import api
from services.reporting.freshness import Freshness, HeldTitles

ROUTE = f"{CIRCULATION_PREFIX}/stats"
"""Every URL of reporting starts here: the composition root routes this prefix to this app."""


def create_app(
    settings: Settings,
    database_url: str,
    *,
    freshness: Freshness | None = None,
    held_titles: HeldTitles | None = None,
    clock: Clock | None = None,
) -> Litestar:
    @asynccontextmanager
    async def ports(app: Litestar) -> AsyncIterator[None]:
        app.state.freshness = freshness
        app.state.held_titles = held_titles
        app.state.clock = clock or JakartaClock()
        yield

    return Litestar(
        route_handlers=api.HANDLERS,
        dependencies={
            "pool": Provide(provide_pool),
            "staff": Provide(provide_staff),
            "model": Provide(api.provide_model),
        },
        lifespan=[pool_lifespan(settings, database_url, min_size=1, max_size=8), ports],
        plugins=[problem_details()],
        compression_config=compression(),
        openapi_config=openapi("Pustaka Desa — reporting", f"{ROUTE}/schema"),
    )
