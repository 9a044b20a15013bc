"""The embedded default's single process: one ASGI app that routes the URL layout to each service's app,
as the gateway does in production."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Any, Any, Any], Coroutine[Any, Any, None]]


class Gateway:
    """Route `/api/catalog...`, `/api/circulation...` and everything else (the pages) by path prefix."""

    def __init__(self, routes: list[tuple[str, ASGIApp]], fallback: ASGIApp | None = None) -> None:
        self.routes = routes
        self.fallback = fallback

    def _apps(self) -> list[ASGIApp]:
        """Each app once, even when it serves several prefixes (the catalogue also serves /oai)."""
        apps: list[ASGIApp] = []
        for app in [app for _, app in self.routes] + ([self.fallback] if self.fallback else []):
            if not any(app is seen for seen in apps):
                apps.append(app)
        return apps

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope.get("path", "")
        for prefix, app in self.routes:
            if path == prefix or path.startswith(prefix + "/"):
                await app(scope, receive, send)
                return
        if self.fallback is None:
            await send(
                {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [(b"content-type", b"application/problem+json")],
                }
            )
            await send({"type": "http.response.body", "body": b'{"status":404,"title":"Not found","code":"not_found"}'})
            return
        await self.fallback(scope, receive, send)

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        """Start every app's lifespan in route order (the catalogue before circulation, whose start-up work
        calls it), report once all started; stop them in reverse order at shutdown."""
        runners = [_LifespanRunner(app) for app in self._apps()]
        message = await receive()
        assert message["type"] == "lifespan.startup"
        failures = []
        for runner in runners:
            failure = await runner.startup()
            if failure:
                failures.append(failure)
                break
        if failures:
            await send({"type": "lifespan.startup.failed", "message": "; ".join(failures)})
            return
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        for runner in reversed(runners):
            await runner.shutdown()
        await send({"type": "lifespan.shutdown.complete"})


class _LifespanRunner:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.task: asyncio.Task | None = None

    async def startup(self) -> str | None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        reply = await self.outbox.get()
        if reply["type"] == "lifespan.startup.failed":
            return reply.get("message", "startup failed")
        return None

    async def shutdown(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self.outbox.get()
        if self.task is not None:
            await self.task
