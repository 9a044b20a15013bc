"""The circulation service as a use case sees it, for tests that call use cases without HTTP: the real database,
the catalogue of the session's server, and a clock standing at a chosen moment in Jakarta."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from kernel.clock import JAKARTA, FixedClock
from pustaka.config import Settings
from services.circulation.clients.catalog import CatalogClient
from services.circulation.service import Circulation


@asynccontextmanager
async def desk_service(
    server: str, settings: Settings, pool: asyncpg.Pool, day: dt.date, at: dt.time = dt.time(9, 30)
) -> AsyncIterator[Circulation]:
    catalog = CatalogClient.over_http(server, settings)
    service = Circulation(pool, catalog, FixedClock(dt.datetime.combine(day, at, JAKARTA)))
    try:
        yield service
    finally:
        await service.aclose()
        await catalog.aclose()
