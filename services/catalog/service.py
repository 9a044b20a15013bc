"""What every catalogue use case is given, and the units of work it runs in.

A use case (`ingest.ingest`, `review.resubmit`, `items.set_status`, …) takes a `Catalogue`, the staff member
acting and the request as a Struct. It reads the date from `catalogue.clock`, authorises (`pustaka.access`),
and runs its work through `write` (one transaction, the Idempotency-Key claimed inside it) or `read`. HTTP
handlers and CLI commands build nothing else: they decode, call the use case, encode.

The search index follows without being called: every change queues its titles in `catalog.search_outbox`,
whose trigger NOTIFYs the indexer when the transaction commits (migrations/002_search.sql)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import asyncpg

from kernel.clock import Clock, JakartaClock
from pustaka.unit_of_work import Once, Work, read, transaction

T = TypeVar("T")


@dataclass
class Catalogue:
    """The catalogue service's parts one process shares: its pool and its clock (Asia/Jakarta)."""

    pool: asyncpg.Pool
    clock: Clock = field(default_factory=JakartaClock)

    async def write(self, work: Work[T], once: Once | None = None, *, status: Callable[[T], int] | None = None) -> T:
        """One transaction; `status` gives the answer's status when it depends on the answer."""
        return await transaction(self.pool, work, once, status=status)

    async def read(self, work: Work[T]) -> T:
        """One read-only transaction."""
        return await read(self.pool, work)

    async def snapshot(self, work: Work[T]) -> T:
        """One read-only transaction that sees one moment throughout (repeatable read): a long read of many
        statements, such as an export, whose parts must agree."""
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await work(conn)
