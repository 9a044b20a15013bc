"""Keeping the search index in step with PostgreSQL: drain `catalog.search_outbox` in batches.

A batch is one transaction: claim outbox rows (`FOR UPDATE SKIP LOCKED`), rebuild the documents of their
distinct (library, title) pairs from the current catalogue, push them to the engine, and delete the rows
only after the engine accepted them. An engine that is down makes the transaction roll back: the rows stay
and are retried with back-off. A worker killed mid-batch leaves its rows to the next one; pushing a
document twice is harmless because documents are keyed by id and always carry the latest state.

Why one drainer at a time (an advisory lock per batch) on top of SKIP LOCKED: with SKIP LOCKED alone, two
workers could hold two changes of the same document, build it from two snapshots and push them in the wrong
order, leaving the older state in the index. Taking the lock for the batch's transaction serialises pushes,
so the last push is always built from the newest state; any number of indexer processes may run, the idle
ones are hot standbys. A rebuild takes the same lock, so no batch lands in an index about to be swapped out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
import msgspec

from pustaka.sql import load
from search.backend import SearchBackend
from search.documents import all_documents, count_documents, document_id, documents_for

Q = load(__file__, "indexer.sql")
LOCK_KEY = 0x50555352  # "PUSR": pustaka search
CHANNEL = "pustaka_search"
DONE_CHANNEL = "pustaka_search_done"
EMBEDDED_APPLICATION = "pustaka-search-embedded"
log = logging.getLogger("pustaka.search")


class Locked(msgspec.Struct):
    locked: bool


class OutboxRow(msgspec.Struct):
    id: int
    library_code: str
    title_id: int


class LastDrain(msgspec.Struct):
    drained_by: str
    applied_through: int


class Database(msgspec.Struct):
    datname: str


try_lock = Q.one("try_lock", Locked)
"""Take the drainers' lock for this transaction if it is free (and give way to DDL, see indexer.sql)."""
give_way_to_ddl = Q.execute("give_way")
"""For the rest of the transaction, fail at once rather than wait for a table lock."""
lock_drainers = Q.execute("lock")
"""Wait for the running batch, then keep every drainer out until `unlock_drainers`."""
unlock_drainers = Q.execute("unlock")
claim_batch = Q.all("claim_batch", OutboxRow)
delete_batch = Q.execute("delete_batch")
backlog = Q.value("backlog", int)
notify_done = Q.execute("notify_done")
request_reindex = Q.execute("request_reindex")
embedded_listeners = Q.value("embedded_listeners", int)
record_drain = Q.execute("record_drain")
last_drain = Q.one("last_drain", LastDrain)
databases = Q.all("databases", Database)


async def drain_once(pool: asyncpg.Pool, backend: SearchBackend, batch_size: int = 1000) -> int | None:
    """Push one batch; return how many outbox rows it cleared (None: another indexer is draining)."""
    async with pool.acquire() as conn, conn.transaction():
        locked = await try_lock(conn, key=LOCK_KEY)
        if locked is None or not locked.locked:
            return None
        rows = await claim_batch(conn, size=batch_size)
        if not rows:
            return 0
        pairs = sorted({(r.library_code, r.title_id) for r in rows})
        docs = await documents_for(conn, pairs)
        present = {d.id for d in docs}
        gone = [i for i in (document_id(lib, title) for lib, title in pairs) if i not in present]
        await backend.upsert(docs)
        await backend.delete(gone)
        position = max(r.id for r in rows)
        await _record(backend, position)
        await record_drain(conn, drained_by=drain_key(backend), applied_through=position)
        await delete_batch(conn, ids=[r.id for r in rows])
        return len(rows)


def drain_key(backend: SearchBackend) -> str:
    """Who drains, as catalog.search_index_state records it: an embedded index names its generation."""
    return getattr(backend, "drain_key", backend.name)


async def _record(backend: SearchBackend, position: int) -> None:
    record = getattr(backend, "record", None)  # an index on disk remembers how far it applied the outbox
    if record is not None:
        await record(position)


async def rebuild_from_database(pool: asyncpg.Pool, backend: SearchBackend, *, give_way: bool = False) -> int:
    """Rebuild the whole index from one snapshot of the catalogue, aside, then swap; return the count.
    `give_way`: fail at once rather than wait behind DDL or a TRUNCATE (the indexer retries later)."""
    async with pool.acquire() as conn:
        await lock_drainers(conn, key=LOCK_KEY)
        try:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                if give_way:
                    await give_way_to_ddl(conn)
                count = await backend.rebuild(all_documents(conn))
            # Still under the lock, so no drain comes between: the new index has every change up to the
            # last drain (and the outbox still holds the later ones).
            last = await last_drain(conn)
            position = last.applied_through if last else 0
            await _record(backend, position)
            await record_drain(conn, drained_by=drain_key(backend), applied_through=position)
            return count
        finally:
            await unlock_drainers(conn, key=LOCK_KEY)


async def fill_if_empty(pool: asyncpg.Pool, backend: SearchBackend) -> int:
    """At start: an index saved on disk is reopened when it is current (search/persisted.py); an empty or
    stale one (a fresh process, a lost volume, another drainer since) is rebuilt from PostgreSQL."""
    reopen = getattr(backend, "reopen", None)
    if reopen is not None and await reopen():
        async with pool.acquire() as conn:
            last = await last_drain(conn)
        position = getattr(backend, "position", None)  # how far the reopened index applied the outbox
        if last is not None and (last.drained_by, last.applied_through) == (drain_key(backend), position):
            log.info("search index reopened from disk, current up to outbox row %d", position)
            return 0
        log.info("the search index on disk is not current: rebuilding it from PostgreSQL")
        return await rebuild_from_database(pool, backend)
    health = await backend.health()
    if health.documents:
        return 0
    async with pool.acquire() as conn:
        if not await count_documents(conn):
            return 0
    return await rebuild_from_database(pool, backend)


class Indexer:
    """The drain loop: woken by NOTIFY on new outbox rows, polling as a fallback, backing off on failure."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        backend: SearchBackend,
        *,
        embedded: bool,
        batch_size: int = 1000,
        poll_seconds: float = 0.5,
        max_backoff: float = 2.0,
    ) -> None:
        self.pool, self.backend, self.embedded = pool, backend, embedded
        self.batch_size, self.poll_seconds, self.max_backoff = batch_size, poll_seconds, max_backoff
        self._wake = asyncio.Event()
        self._rebuild_requested = False
        self._filled = False
        self.ready = False
        """True once the index was filled at start and the outbox drained once: searches may use it."""
        self._listener: asyncpg.Connection | None = None

    def _on_notify(self, _conn, _pid, _channel, payload: str) -> None:
        if payload == "reset" or (payload == "reindex" and self.embedded):
            self._rebuild_requested = True
        self._wake.set()

    async def _listen(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        with contextlib.suppress(Exception):
            conn = await self.pool.acquire()
            try:
                if self.embedded:
                    await conn.execute(f"SET application_name = '{EMBEDDED_APPLICATION}'")
                await conn.add_listener(CHANNEL, self._on_notify)
            except BaseException:
                await self.pool.release(conn)
                raise
            self._listener = conn

    async def _unlisten(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.remove_listener(CHANNEL, self._on_notify)
                await self.pool.release(self._listener)
            self._listener = None

    async def drain(self) -> int:
        """Drain until the outbox is empty (or another indexer holds it); return the rows cleared."""
        cleared = 0
        while True:
            done = await drain_once(self.pool, self.backend, self.batch_size)
            if not done:
                return cleared
            cleared += done

    async def _step(self) -> None:
        # Meilisearch: the index and its settings, and its segmenters loaded, at start and as soon as the
        # engine is back after being away, before a package comes (search/meili.py ensure_index).
        prepare = getattr(self.backend, "ensure_index", None)
        if prepare is not None:
            await prepare()
        if not self._filled:
            await fill_if_empty(self.pool, self.backend)
            self._filled = True
        if self._rebuild_requested:
            count = await rebuild_from_database(self.pool, self.backend, give_way=True)
            self._rebuild_requested = False
            async with self.pool.acquire() as conn:
                await notify_done(conn, payload=str(count))
            log.info("search index rebuilt from PostgreSQL: %d documents", count)
        await self.drain()

    async def run(self) -> None:
        """Run until cancelled. Never gives up: every failure is logged and retried with back-off."""
        backoff = 0.1
        failing = False
        try:
            while True:
                await self._listen()
                self._wake.clear()  # before the step: a NOTIFY during the step makes the next one start at once
                try:
                    await self._step()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the engine or the database is away: keep the rows, retry later
                    if not failing:
                        log.warning("search indexer: %s; the outbox keeps every change, retrying", exc)
                    failing = True
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
                    continue
                if failing:
                    log.warning("search indexer: back in step")
                failing, backoff, self.ready = False, 0.1, True
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
                # arrives as the event is set, and the indexer would then never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()
        finally:
            await self._unlisten()
