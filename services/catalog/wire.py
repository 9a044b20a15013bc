"""What the catalogue's HTTP handlers share: the URL prefix, the `catalogue` dependency and the
Idempotency-Key of a write."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State

from kernel.wire import CATALOG_PREFIX
from pustaka import idempotency
from pustaka.access import Staff
from pustaka.unit_of_work import Once
from pustaka.web import once as once_of_body
from services.catalog.service import Catalogue

PREFIX = CATALOG_PREFIX


async def provide_catalogue(state: State) -> Catalogue:
    """The `catalogue` dependency of the HTTP handlers: the app's pool and clock."""
    return Catalogue(state.pool, state.clock)


async def once(request: Request, staff: Staff, status: int) -> Once | None:
    """The request's Idempotency-Key for a catalogue write; its replay is recognised by the request's body."""
    return await once_of_body(request, "catalog", staff, status)


def once_for(request: Request, staff: Staff, status: int, content: bytes) -> Once | None:
    """The Idempotency-Key of a write whose replay is recognised by `content` rather than by the body (an
    upload by its checksum, a body that carries nothing)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    return Once(
        "catalog", staff.username, key, idempotency.fingerprint(request.method, request.url.path, content), status
    )
