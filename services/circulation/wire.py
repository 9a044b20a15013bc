"""What the circulation handlers share: constrained wire types and the idempotent write wrapper."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.datastructures import State

from kernel.libraries import LIBRARY_CODE_PATTERN
from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff
from pustaka.web import idempotent

PREFIX = CIRCULATION_PREFIX
Barcode = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z-]+$",
                                      description="the copy's barcode, as printed on its label")]
MemberNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$",
                                           description="the number on the member card, e.g. 3520012002-000017")]
LibraryCode = Annotated[str, msgspec.Meta(pattern=LIBRARY_CODE_PATTERN,
                                          description="a library's Kemendagri code, e.g. 35.20.01.2001")]
Isbn = Annotated[str, msgspec.Meta(min_length=1, max_length=40,
                                    description="an ISBN-13 or ISBN-10 as written: hyphens, spaces, an ISBN prefix")]


async def write(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, body: bytes,
                run: Callable[[asyncpg.Connection], Awaitable[tuple[int, Any]]]) -> Response:
    """Run one use case in one transaction under the request's Idempotency-Key, then wake the relay so the
    catalogue hears about item status changes at once."""
    answer = await idempotent(request, pool, "circulation", staff.username, body, run)
    relay = getattr(state, "relay", None)
    if relay is not None:
        relay.wake()
    return answer
