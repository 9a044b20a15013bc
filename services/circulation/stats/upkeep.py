"""Circulation's background work for the statistics read model (services/reporting reads it, never writes
it): folding the event log into the rollups, and the library directory and holdings snapshots from the
catalogue. Both run in rounds owned by the circulation app's lifespan: at start-up, then periodically.

A reader that finds work undone (events above the watermark, a scope's libraries unknown, a snapshot of
today missing or stale) asks for a round and waits for it: `events_folded()` and `directory_fresh()` return
once a round that started after the call has finished (or after a bounded wait), so "a loan shows in
statistics at once" holds without any read writing. The composition root hands this object to reporting as
its `Freshness` port.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar

from pustaka.rounds import Rounds
from services.circulation import clock
from services.circulation.clients.catalog import CatalogClient, CatalogUnreachable, HeldTitle
from services.circulation.stats.directory import REFRESH_SECONDS, refresh_directory
from services.circulation.stats.folding import EVERY_SECONDS, folder
from services.circulation.stats.rollup import drain_pool

log = logging.getLogger("pustaka.stats")

FOLD_WAIT_SECONDS = 5.0
DIRECTORY_WAIT_SECONDS = 12.0
"""A reader waits at most this long, then answers from what is there."""


class StatsUpkeep:
    def __init__(self) -> None:
        self._folding: Rounds | None = None
        self._directory: Rounds | None = None
        self._catalog: CatalogClient | None = None

    async def events_folded(self) -> None:
        """Return once every event committed before the call is folded (or after FOLD_WAIT_SECONDS)."""
        if self._folding is not None:
            await self._folding.next_round(FOLD_WAIT_SECONDS)

    async def directory_fresh(self) -> None:
        """Return once the library list and today's holdings snapshots are fresh (or after a bounded wait)."""
        if self._directory is not None:
            await self._directory.next_round(DIRECTORY_WAIT_SECONDS)

    async def held_titles(self, code: str) -> list[HeldTitle]:
        """Every title a library holds, as the catalogue lists it (the never-borrowed breakdown)."""
        if self._catalog is None:
            return []
        return await self._catalog.all_library_titles(code)

    def lifespan(self):
        """A lifespan hook, after the pool's and the background's (which sets `state.catalog`)."""

        @asynccontextmanager
        async def hook(app: Litestar) -> AsyncIterator[None]:
            pool, catalog = app.state.pool, app.state.catalog
            self._catalog = catalog

            async def refresh(asked: bool) -> None:
                await refresh_directory(pool, catalog, today=clock.today(), asked=asked)

            self._folding = folder(pool, EVERY_SECONDS)
            self._directory = Rounds("stats-directory", refresh, REFRESH_SECONDS / 2)
            # at start-up: a large backlog left by `pustaka migrate` or a bulk import; the library list
            self._folding.start(at_once=True)
            self._directory.start(at_once=True)
            try:
                yield
            finally:
                await self._folding.stop()
                await self._directory.stop()
                self._catalog = None

        return hook


class UpkeepNow:
    """The same freshness for a command-line process, which runs no background rounds: circulation folds
    and refreshes at once when a report asks (circulation's code writing, never reporting's)."""

    def __init__(self, pool: asyncpg.Pool, catalog: CatalogClient) -> None:
        self._pool = pool
        self._catalog = catalog

    async def events_folded(self) -> None:
        await drain_pool(self._pool)

    async def directory_fresh(self) -> None:
        try:
            await refresh_directory(self._pool, self._catalog, today=clock.today(), asked=True)
        except CatalogUnreachable:
            log.warning("the catalogue cannot be reached: statistics use the holdings last seen")

    async def held_titles(self, code: str) -> list[HeldTitle]:
        return await self._catalog.all_library_titles(code)
