"""Every request gets an id: answered in `X-Request-Id`, and carried by the log line of an unexpected error
(with its traceback), so a user's report finds the fault. Paths with control characters are refused here,
before any route sees them."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, MutableMapping
from contextvars import ContextVar
from typing import Any

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
HEADER = b"x-request-id"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIds:
    """ASGI middleware around the whole system (the gateway, or one service's app)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(HEADER, b"").decode("latin-1")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex  # nginx's X-Request-ID, or ours
        token = REQUEST_ID.set(request_id)

        async def send_with_id(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (HEADER, request_id.encode())]}
            await send(message)

        try:
            if _CONTROL.search(scope.get("path", "")):
                await _refuse(send_with_id, request_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)


async def _refuse(send: Callable, request_id: str) -> None:
    body = json.dumps(
        {
            "status": 400,
            "title": "Bad request",
            "code": "path_invalid",
            "detail": "the address contains a control character",
            "request_id": request_id,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
