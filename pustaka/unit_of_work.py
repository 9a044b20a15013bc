"""One use case, one unit of work: a connection in one transaction, and the request's Idempotency-Key claimed
and answered inside that same transaction.

A use case calls `transaction(pool, work, once)`; the HTTP layer only builds the `Once` from the request's
headers, and turns `Replayed` into the first answer. The command line passes no `Once`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
import msgspec

from pustaka import idempotency

T = TypeVar("T")
Work = Callable[[asyncpg.Connection], Awaitable[T]]

_ENCODER = msgspec.json.Encoder()


class Once(msgspec.Struct, frozen=True):
    """A write sent with an Idempotency-Key: a second send with the same key gets the first answer."""

    schema: str
    actor: str
    key: str
    fingerprint: str
    status: int
    """The status of the first answer, stored with it for the replay."""


class Replayed(Exception):
    """The write was done before under this key: here is its answer, nothing new was recorded."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


async def transaction(
    pool: asyncpg.Pool, work: Work[T], once: Once | None = None, *, status: Callable[[T], int] | None = None
) -> T:
    """Run `work` in one transaction; with `once`, claim its key first and store the answer with the change.
    `status`: the answer's status when it depends on the answer (an upload already ingested is 200, not 201)."""
    async with pool.acquire() as conn, conn.transaction():
        if once is not None:
            replay = await idempotency.claim(conn, once.schema, once.actor, once.key, once.fingerprint)
            if replay is not None:
                raise Replayed(replay.status, replay.body)
        result = await work(conn)
        if once is not None:
            answered = once.status if status is None else status(result)
            await idempotency.record(conn, once.schema, once.actor, once.key, answered, _ENCODER.encode(result))
    return result


async def read(pool: asyncpg.Pool, work: Work[T]) -> T:
    """Run a read-only use case in one read-only transaction (one consistent snapshot)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        return await work(conn)
