"""The outbox relay: item status changes written with each loan or return are sent to the catalogue in
batches, in order, with retries and back-off. A catalogue that is down delays them, never loses them; a
restart picks up where the last run stopped, because the outbox is a table."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from services.circulation.clients.catalog import CatalogClient, StatusChange
from services.circulation.queries import relay as q

log = logging.getLogger("pustaka.circulation.relay")


class OutboxRelay:
    """Drains `circulation.catalog_outbox`: woken after each change, and every `idle` seconds anyway."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        catalog: CatalogClient,
        *,
        batch: int = 500,
        idle: float = 1.0,
        settle: float = 0.05,
        max_backoff: float = 4.0,
    ) -> None:
        self.pool = pool
        self.catalog = catalog
        self.batch = batch
        self.idle = idle
        self.settle = settle
        """A short wait after a wake-up, so that one batch carries the changes of many requests."""
        self.max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def reconcile(self) -> int:
        """Read back the catalogue's status of every copy circulation knows, and queue again each one that
        drifted from circulation's (a crash between a change and its delivery, a catalogue restored from a
        backup); the number queued. Run at start-up, in the background, holding the relay's lock: no batch is
        sent between reading the catalogue and comparing, so nothing fresher is overwritten by what was read."""
        async with self.pool.acquire() as conn:
            await q.relay_wait_lock(conn)
            try:
                libraries = [r.library_code for r in await q.replica_libraries(conn)]
                for library in libraries:
                    statuses = await self.catalog.item_statuses(library)
                    await q.note_catalog_statuses(
                        conn, barcodes=[b for b, _ in statuses], statuses=[s for _, s in statuses]
                    )
                queued = int((await q.reconcile(conn)).split()[-1])
            finally:
                await q.relay_unlock(conn)
        if queued:
            log.info("%d copies queued again for the catalogue (statuses had drifted)", queued)
            self.wake()
        return queued

    def wake(self) -> None:
        """Say there is something to send (called after a change commits)."""
        self._wake.set()

    async def drain_once(self) -> int:
        """Send one batch; the number of outbox rows sent (0: nothing to send). Raises when sending failed.

        No transaction is open while the catalogue is called (it would hold locks for as long as the network
        takes); a session advisory lock keeps a second relay from sending the same copies out of order.
        """
        async with self.pool.acquire() as conn:
            if not await q.relay_lock(conn):
                return 0
            try:
                rows = await q.outbox_batch(conn, batch=self.batch)
                if not rows:
                    return 0
                latest = {r.barcode: r.status for r in rows}  # in id order: a copy's last change wins
                ids = [r.id for r in rows]
                try:
                    report = await self.catalog.send_statuses([StatusChange(b, s) for b, s in latest.items()])
                except Exception as exc:  # any failure is retried; it is noted on the rows
                    await q.outbox_failed(conn, ids=ids, error=f"{type(exc).__name__}: {exc}"[:500])
                    raise
                if report.unknown:
                    log.warning("the catalogue knows no copies %s; their changes are dropped", report.unknown)
                await q.outbox_sent(conn, ids=ids)
                return len(rows)
            finally:
                await q.relay_unlock(conn)

    async def drain(self) -> int:
        """Send batches until the outbox is empty; the number of rows sent."""
        total = 0
        while (sent := await self.drain_once()) > 0:
            total += sent
        return total

    async def pending(self) -> int:
        async with self.pool.acquire() as conn:
            return await q.outbox_pending(conn) or 0

    async def run(self) -> None:
        """Drain forever; after a failure wait 0.25 s, doubling up to `max_backoff`, then try again."""
        backoff = 0.0
        while True:
            if backoff:
                await asyncio.sleep(backoff)  # a wake-up does not cut a back-off short
            else:
                try:  # asyncio.timeout: unlike wait_for on Python 3.11, it never swallows a cancellation
                    async with asyncio.timeout(self.idle):
                        await self._wake.wait()
                    await asyncio.sleep(self.settle)
                except TimeoutError:
                    pass
            self._wake.clear()
            try:
                await self.drain()
                backoff = 0.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep relaying whatever went wrong
                backoff = min(self.max_backoff, max(0.25, backoff * 2))
                log.warning("sending item statuses to the catalogue failed (%s); retrying in %.2fs", exc, backoff)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="circulation-outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
