"""Web plumbing both services share: the database pool, problem+json errors, staff from the token,
and idempotent POSTs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin
from litestar.types import ExceptionHandlersMap

from pustaka import idempotency, revocation, tokens
from pustaka.access import (  # noqa: F401  (authorise: re-exported until every caller imports it from access)
    Staff,
    authorise,
)
from pustaka.config import Settings
from pustaka.errors import AppError
from pustaka.requests import REQUEST_ID
from pustaka.unit_of_work import Once, Replayed

log = logging.getLogger("pustaka.web")

_HTTP_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    405: "method_not_allowed",
    413: "file_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
}


def _from_app_error(exc: AppError) -> ProblemDetailsException:
    extra: dict[str, Any] = {"code": exc.code, **exc.extra}
    if exc.field:
        extra["field"] = exc.field
    return ProblemDetailsException(
        status_code=exc.status,
        title=exc.title,
        detail=exc.detail,
        extra=extra,
        headers=exc.headers,
        type_=f"https://pustaka-desa.id/problems/{exc.code}",
    )


def _from_http_exception(exc: HTTPException) -> ProblemDetailsException:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    extra: dict[str, Any] = {"code": code}
    if isinstance(exc.extra, list) and exc.extra:
        extra["errors"] = exc.extra
        first = exc.extra[0]
        if isinstance(first, dict) and first.get("key"):
            extra["field"] = first["key"]
    return ProblemDetailsException(
        status_code=exc.status_code,
        title=str(exc.detail),
        detail=str(exc.detail),
        extra=extra,
        headers=exc.headers,
        type_=f"https://pustaka-desa.id/problems/{code}",
    )


def _problem(status: int, code: str, detail: str, **extra: Any) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status,
        title=detail,
        detail=detail,
        extra={"code": code, "request_id": REQUEST_ID.get(), **extra},
        type_=f"https://pustaka-desa.id/problems/{code}",
    )


def _from_data_error(exc: asyncpg.DataError) -> ProblemDetailsException:
    """A value PostgreSQL cannot take (a NUL character, a number past 64 bits): the client's input."""
    log.info("refused a value [request %s]: %s", REQUEST_ID.get(), type(exc).__name__)
    return _problem(
        422,
        "value_invalid",
        "a value is not acceptable here (a control character such as NUL, or a number out of range)",
    )


def _from_recursion(exc: RecursionError) -> ProblemDetailsException:
    return _problem(400, "nesting_too_deep", "the request is nested too deeply")


def _from_unicode(exc: UnicodeError) -> ProblemDetailsException:
    return _problem(400, "encoding_invalid", "the request body is not UTF-8")


def _from_unexpected(exc: Exception) -> ProblemDetailsException:
    """A fault of ours: logged with its traceback and the request id the answer names (nothing else)."""
    request_id = REQUEST_ID.get()
    log.error("unexpected error [request %s]", request_id, exc_info=exc)
    return _problem(500, "internal_error", f"an unexpected error; quote request {request_id} when reporting it")


def problem_details() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True,
            exception_to_problem_detail_map={
                AppError: _from_app_error,
                HTTPException: _from_http_exception,
                asyncpg.DataError: _from_data_error,
                RecursionError: _from_recursion,
                UnicodeError: _from_unicode,
                Exception: _from_unexpected,
            },
        )
    )


def pool_lifespan(
    settings: Settings,
    database_url: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    on_start: Callable[[Litestar], Awaitable[None]] | None = None,
    reset: Callable[[asyncpg.Connection], Awaitable[None]] | None = None,
):
    """A lifespan hook that owns the app's connection pool (and optional background work).

    `reset`: what a connection does when it goes back to the pool (asyncpg's default is one more round trip
    that clears session state; an app that keeps no session state may skip it)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size, reset=reset)
        app.state.pool = pool
        app.state.settings = settings
        try:
            if on_start is not None:
                await on_start(app)
            yield
        finally:
            await pool.close()

    return lifespan


async def provide_pool(state: State) -> asyncpg.Pool:
    return state.pool


async def provide_staff(request: Request, state: State) -> Staff:
    """The logged-in staff member; 401 problem when the token is missing, expired, forged or revoked."""
    staff = tokens.read(request.headers.get("authorization"), state.settings.jwt_secret)
    await revocation.ensure_current(state.pool, staff)
    return staff


async def once(request: Request, schema: str, staff: Staff, status: int) -> Once | None:
    """The request's Idempotency-Key as a `Once` for the use case, or None when it was sent without one."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    body = await request.body()
    return Once(schema, staff.username, key, idempotency.fingerprint(request.method, request.url.path, body), status)


def replayed(request: Request, exc: Replayed) -> Response:
    """The first answer to a write sent again with the same Idempotency-Key."""
    return Response(
        exc.body, status_code=exc.status, media_type="application/json", headers={"Idempotent-Replayed": "true"}
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {Replayed: replayed}
