"""`pustaka up --workers N`: N processes answer HTTP on one port; one of them writes.

One Python process answers about a thousand searches a second on this kind of machine; more need more
processes. The `pustaka up` process itself is the writer: it prepares the database (and the embedded
PostgreSQL, started once, by it), seeds on first start, drains the search outbox into the index on disk,
and runs every background job (the circulation relay, hold expiry, the copy feed, statistics folding,
ISBN look-ups, backups). It opens the listening socket and starts N-1 reader processes that accept on the
same socket. A reader serves the whole API; its search opens the writer's index read-only and follows its
commits (search/follower.py), and it runs no background job (its lifespans ask `is_reader()`): whatever
a request changes is in PostgreSQL and its outboxes, which the writer drains (a reader's own relay is
never started: the writer's polls its outbox every second). The one exception is the statistics upkeep,
which a report served by a reader wakes in its own process: folding and the holdings refresh are guarded
in SQL (the watermark row is locked), so two processes never fold an event twice. Each answer says which process gave it
(`X-Pustaka-Worker`: 1 is the writer).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pustaka.config import Settings

log = logging.getLogger("pustaka.server")
MAX_WORKERS = 16
_reader = False


def is_reader() -> bool:
    """True in a reader process of `pustaka up --workers N`: no background work, search follows the writer."""
    return _reader


def listening_socket(host: str, port: int) -> socket.socket:
    """The one socket every worker accepts on (the kernel hands each connection to one of them)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def start_readers(settings: Settings, url: str, sock: socket.socket, count: int, level: str) -> list:
    """Start `count` reader processes serving on `sock` (numbered 2, 3, ...)."""
    context = multiprocessing.get_context("spawn")
    readers = []
    for number in range(2, count + 2):
        process = context.Process(
            target=_reader_main,
            args=(settings, url, sock, number, os.getpid(), level),
            name=f"pustaka-worker-{number}",
            daemon=False,
        )
        process.start()
        readers.append(process)
    return readers


def stop_readers(readers: list, timeout: float = 10) -> None:
    for process in readers:
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
    for process in readers:
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()


Scope = MutableMapping[str, Any]


class WorkerHeader:
    """Adds `X-Pustaka-Worker: N` to every answer: which process answered (1: the writer)."""

    def __init__(self, app: Callable[[Scope, Callable, Callable], Awaitable[None]], number: int) -> None:
        self.app, self.header = app, (b"x-pustaka-worker", str(number).encode())

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self.header]
            await send(message)

        await self.app(scope, receive, stamped)


def _reader_main(settings: Settings, url: str, sock: socket.socket, number: int, parent: int, level: str) -> None:
    """A reader process: the whole app over the same database, serving on the writer's socket until the
    writer stops it (or dies)."""
    import uvicorn

    from pustaka import logs
    from pustaka.runtime import build_app

    global _reader
    _reader = True
    logs.setup(level)
    app = WorkerHeader(build_app(settings, url), number)
    logs.setup(level)  # again: creating a Litestar app configures logging its own way
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # as the writer's (pustaka/server.py)

    async def main() -> None:
        async def orphaned() -> None:
            while os.getppid() == parent:
                await asyncio.sleep(1)
            server.should_exit = True  # the writer died without stopping us

        watch = asyncio.create_task(orphaned())
        try:
            await server.serve(sockets=[sock])
        finally:
            watch.cancel()

    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(main())
    sys.exit(0)
