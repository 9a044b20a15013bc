"""Access tokens: Litestar's JWT `Token`, signed with the shared secret so both services accept them."""

from __future__ import annotations

import datetime as dt
import time

import jwt
from litestar.exceptions import NotAuthorizedException
from litestar.security.jwt import Token

from pustaka.access import Staff
from pustaka.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "pustaka-desa"


def issue(staff: Staff, secret: str, minutes: int) -> tuple[str, int]:
    """A signed token for `staff` and its lifetime in seconds."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    token = Token(
        exp=expires,
        sub=staff.username,
        iss=ISSUER,
        extras={"role": staff.role, "scope": staff.scope, "ver": staff.version},
    )
    return token.encode(secret, ALGORITHM), minutes * 60


_VERIFIED: dict[tuple[str, str], tuple[Staff, float]] = {}
_VERIFIED_MAX = 4096


def read(header: str | None, secret: str) -> Staff:
    """The staff member an `Authorization: Bearer ...` header names; Unauthorized when it is not valid.

    A desk sends the same token with every scan: a token already verified is not decoded and its signature
    not checked again until it expires (a few microseconds instead of a JWT decode per request)."""
    if not header:
        raise Unauthorized("token_missing", "log in first: this action needs an Authorization: Bearer token")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "bearer" or not encoded.strip():
        raise Unauthorized("token_invalid", "the Authorization header must be 'Bearer <token>'")
    known = _VERIFIED.get((encoded, secret))
    if known is not None and known[1] > time.time():
        return known[0]
    staff, expires = _decode(encoded.strip(), secret)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(encoded, secret)] = (staff, expires)
    return staff


def _decode(encoded: str, secret: str) -> tuple[Staff, float]:
    try:
        token = Token.decode(encoded.strip(), secret, ALGORITHM, issuer=[ISSUER], require_claims=["exp", "sub"])
    except NotAuthorizedException as exc:
        # Litestar reports every failure as "Invalid token"; the cause says whether the token expired.
        expired = isinstance(exc.__cause__, jwt.ExpiredSignatureError) or "expired" in str(exc.detail).lower()
        code = "token_expired" if expired else "token_invalid"
        message = "the token has expired; log in again" if expired else "the token is not valid; log in again"
        raise Unauthorized(code, message) from None
    version = token.extras.get("ver")
    staff = Staff(
        username=token.sub,
        role=str(token.extras.get("role")),
        scope=token.extras.get("scope"),
        version=version if isinstance(version, int) else None,
    )
    return staff, token.exp.timestamp()
