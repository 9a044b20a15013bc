"""What every circulation use case is given, and the units of work it runs in.

A use case (`lending.check_out`, `holds.place_hold`, …) takes a `Circulation`, the staff member acting and
the request as a Struct. It reads the date from `circulation.clock`, authorises, and runs its work through
`write` (one transaction, the Idempotency-Key claimed inside it, the relay woken after it), `write_on_copy`
(the same, with the catalogue looked up and the work retried when the copy is not in the replica yet) or
`read`. HTTP handlers and CLI commands build nothing else: they decode, call the use case, encode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import asyncpg

from kernel.clock import Clock, JakartaClock
from pustaka.errors import Forbidden, Invalid
from pustaka.unit_of_work import Once, Work, read, transaction
from services.circulation.clients.catalog import CatalogClient
from services.circulation.copies import Replica
from services.circulation.relay import OutboxRelay
from services.circulation.stats.directory import library_name

T = TypeVar("T")


class CopyNotSeen(Invalid):
    """The copy is not in the replica yet: `write_on_copy` looks it up in the catalogue and tries again."""


class Circulation:
    """The circulation service's parts one process shares: its pool, the catalogue client, the clock, the
    replica of copies and the outbox relay (None on the command line, which drains the outbox itself).
    `shared_replica`: the replica of another `Circulation` of this process, to share its memory of
    recent look-ups (the simulation runs one per library)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        catalog: CatalogClient,
        clock: Clock | None = None,
        relay: OutboxRelay | None = None,
        shared_replica: Replica | None = None,
    ) -> None:
        self.pool = pool
        self.catalog = catalog
        self.clock: Clock = clock or JakartaClock()
        self.relay = relay
        self.replica = shared_replica or Replica(pool, catalog)

    async def write(self, work: Work[T], once: Once | None = None) -> T:
        """One transaction; item status changes go to the catalogue at once after it commits."""
        async with self._naming_the_library():
            result = await transaction(self.pool, work, once)
        if self.relay is not None:
            self.relay.wake()
        return result

    async def write_on_copy(self, barcode: str, work: Work[T], once: Once | None = None) -> T:
        """`write` for a use case on one copy: a copy not in the replica is looked up in the catalogue and the
        work tried again; a copy seen long ago is looked up again in the background (a withdrawal made in the
        catalogue reaches the desk)."""
        try:
            result = await self.write(work, once)
        except CopyNotSeen:
            await self.replica.sight(barcode)
            result = await self.write(work, once)
        self.replica.refresh_soon(barcode)
        return result

    async def read(self, work: Work[T]) -> T:
        async with self._naming_the_library():
            return await read(self.pool, work)

    @asynccontextmanager
    async def _naming_the_library(self) -> AsyncIterator[None]:
        """A copy of another library: the refusal says which library, by name, for the desk to show."""
        try:
            yield
        except Forbidden as refusal:
            if refusal.code == "item_of_other_library" and "library_name" not in refusal.extra:
                async with self.pool.acquire() as conn:
                    refusal.extra["library_name"] = await library_name(conn, self.catalog, refusal.extra["library"])
            raise

    async def aclose(self) -> None:
        await self.replica.aclose()
