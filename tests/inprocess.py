"""The system served over real HTTP from the tests' own event loop, with its background work under the
tests' control.

uvicorn serves the HTTP side only (lifespan off); the app's ASGI lifespan (what `pustaka up` runs at start
and at stop: the connection pools, the outbox relays, the search indexer, the copy feed, the statistics
folding) is driven from here, so that it can be paused and resumed. Pausing is the app's own shutdown:
every background task is cancelled and awaited and every pool closed, so that afterwards nothing of the
server holds a connection, a lock or a transaction on its database. Resuming is its start-up, as after a
restart of the service. Tests pause a server while they empty its database (tests/conftest.py `db`).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import uvicorn

READY_SECONDS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lifespan:
    """One run of an ASGI app's lifespan: `start()` until it reports start-up done, `stop()` until it
    reports shutdown done."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put), name="test-lifespan")
        await self.inbox.put({"type": "lifespan.startup"})
        reply = await self.outbox.get()
        if reply["type"] != "lifespan.startup.complete":
            await self.task
            raise RuntimeError(f"the app did not start: {reply.get('message', reply)}")

    async def stop(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        reply = await self.outbox.get()
        assert self.task is not None
        await self.task
        if reply["type"] != "lifespan.shutdown.complete":
            raise RuntimeError(f"the app did not stop cleanly: {reply.get('message', reply)}")


class InProcessServer:
    """An ASGI app on a free loopback port; `pause()`/`resume()` stop and restart its background work.
    `ready`: what `resume()` waits for after the start-up (given the server's URL), as a long-running
    server would already be (e.g. its search index filled)."""

    def __init__(self, app: Any, ready: Callable[[str], Awaitable[bool]] | None = None) -> None:
        self.app = app
        self.ready = ready
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._uvicorn = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        )
        self._serving: asyncio.Task | None = None
        self._lifespan: Lifespan | None = None

    @property
    def paused(self) -> bool:
        return self._lifespan is None

    async def start(self) -> str:
        self._serving = asyncio.create_task(self._uvicorn.serve(), name="test-uvicorn")
        while not self._uvicorn.started:
            await asyncio.sleep(0.01)
            if self._serving.done():
                self._serving.result()
        await self.resume()
        return self.url

    async def pause(self) -> None:
        """Stop the background work and close the pools (waits until both are done)."""
        if self._lifespan is not None:
            lifespan, self._lifespan = self._lifespan, None
            await lifespan.stop()

    async def resume(self) -> None:
        """Start the background work again, as the service does at start-up."""
        if self._lifespan is None:
            lifespan = Lifespan(self.app)
            await lifespan.start()
            self._lifespan = lifespan
            if self.ready is not None:
                deadline = asyncio.get_running_loop().time() + READY_SECONDS
                while not await self.ready(self.url):
                    if asyncio.get_running_loop().time() > deadline:
                        raise RuntimeError(f"{self.url} was not ready {READY_SECONDS} s after its start-up")
                    await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._serving is not None:
            self._uvicorn.should_exit = True
            await self._serving
        await self.pause()


async def search_ready(url: str) -> bool:
    """The catalogue's search index is filled and its outbox drained once (searches use the engine)."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        return (await client.get("/api/catalog/health")).json()["search"] == "ready"


async def serve(app, servers: list[InProcessServer]) -> InProcessServer:
    """Start an ASGI app serving the catalogue on the module's database as one of its servers (stop it with
    `.stop()`); it is ready when its search index is."""
    server = InProcessServer(app, ready=search_ready)
    await server.start()
    servers.append(server)
    return server
