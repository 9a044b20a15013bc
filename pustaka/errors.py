"""Errors the use cases raise; one handler turns them into RFC 9457 problem+json answers."""

from __future__ import annotations


class AppError(Exception):
    """A refusal with a stable machine `code`, a human `detail` and, where there is one, the field."""

    status = 400
    title = "Bad request"

    def __init__(self, code: str, detail: str, *, field: str | None = None, extra: dict | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field
        self.extra = extra or {}
        self.headers: dict[str, str] | None = None


class Invalid(AppError):
    status = 422
    title = "Unprocessable content"


class NotFound(AppError):
    status = 404
    title = "Not found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"


class Forbidden(AppError):
    status = 403
    title = "Forbidden"


class TooLarge(AppError):
    status = 413
    title = "Content too large"


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"

    def __init__(self, code: str, detail: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(code, detail, field=field, extra={"retry_after": retry_after})
        self.headers = {"Retry-After": str(retry_after)}
