"""Background work of the circulation app, owned by its lifespan: the outbox relay to the catalogue and
the expiry of holds whose copy waited past its pickup day."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from litestar import Litestar

from kernel.clock import Clock
from pustaka.workers import is_reader
from services.circulation import catalog_feed, holds
from services.circulation.clients.catalog import CatalogClient
from services.circulation.relay import OutboxRelay
from services.circulation.service import Circulation

log = logging.getLogger("pustaka.circulation")
HOLD_EXPIRY_SECONDS = 600
SYSTEM_ACTOR = "system:circulation"


async def expire_holds_forever(circulation: Circulation, every: float = HOLD_EXPIRY_SECONDS) -> None:
    """Close uncollected holds now, then every `every` seconds (the day is the circulation's clock's)."""
    while True:
        try:
            expired = await holds.expire_holds(circulation, SYSTEM_ACTOR)
            if expired:
                log.info("%d holds expired (not picked up in time)", len(expired))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - try again next round
            log.exception("expiring holds failed")
        await asyncio.sleep(every)


async def reconcile(relay: OutboxRelay, attempts: int = 5) -> None:
    """Statuses a crash left behind on either side, set right once the catalogue answers (it may start
    after this service: tried again a few times)."""
    for attempt in range(attempts):
        try:
            await relay.reconcile()
            return
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the catalogue may not be up yet
            if attempt == attempts - 1:
                log.exception("reconciling copy statuses with the catalogue failed")
            await asyncio.sleep(2**attempt)


def background(make_catalog: Callable[[], CatalogClient], clock: Clock):
    """A lifespan hook (after the pool's) that starts the relay and the hold expiry, and stops them, and
    gives the use cases their `Circulation` (`app.state.circulation`)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        catalog = make_catalog()
        relay = OutboxRelay(app.state.pool, catalog)
        app.state.catalog = catalog
        app.state.relay = relay
        app.state.circulation = circulation = Circulation(app.state.pool, catalog, clock, relay)
        if is_reader():  # a reader of `pustaka up --workers N`: the writer's relay sends this one's changes too
            try:
                yield
            finally:
                await circulation.aclose()
                await catalog.aclose()
            return
        relay.start()
        reconciling = asyncio.create_task(reconcile(relay), name="circulation-reconcile")
        relay.wake()  # whatever a previous run or a CLI command left in the outbox
        expiry = asyncio.create_task(expire_holds_forever(circulation), name="circulation-hold-expiry")
        feed = asyncio.create_task(catalog_feed.follow(app.state.pool, catalog), name="circulation-copy-feed")
        try:
            yield
        finally:
            reconciling.cancel()
            expiry.cancel()
            feed.cancel()
            await relay.stop()
            try:
                await asyncio.wait_for(relay.drain(), timeout=2)  # a last batch on a clean shutdown
            except Exception:  # noqa: BLE001 - it stays in the outbox for the next start
                pass
            await circulation.aclose()
            await catalog.aclose()

    return lifespan
