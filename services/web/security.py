"""Security headers of the pages: scripts only from this site (no inline script anywhere in the pages),
never framed by another site (clickjacking at the desk), no content sniffing, no address leaked in referrers.

Styles allow inline `style` attributes: the dashboard draws its bars and legend with them. They cannot run
code; scripts stay limited to /static."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def security_headers(app: Callable) -> Callable:
    """ASGI middleware: every answer of the pages app (pages and /static files alike) carries HEADERS."""

    async def wrapped(scope: MutableMapping[str, Any], receive: Callable, send: Callable) -> None:
        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await app(scope, receive, send_with_headers if scope["type"] == "http" else send)

    return wrapped
