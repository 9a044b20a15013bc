"""Access tokens: Litestar's JWT `Token`, signed with the shared secret so both services accept them."""

from __future__ import annotations

import datetime as dt

import jwt
from litestar.exceptions import NotAuthorizedException
from litestar.security.jwt import Token

from pustaka.access import Staff
from pustaka.errors import Unauthorized

ALGORITHM = "HS256"
ISSUER = "pustaka-desa"


def issue(staff: Staff, secret: str, minutes: int) -> tuple[str, int]:
    """A signed token for `staff` and its lifetime in seconds."""
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    token = Token(exp=expires, sub=staff.username, iss=ISSUER, extras={"role": staff.role, "scope": staff.scope})
    return token.encode(secret, ALGORITHM), minutes * 60


def read(header: str | None, secret: str) -> Staff:
    """The staff member an `Authorization: Bearer ...` header names; Unauthorized when it is not valid."""
    if not header:
        raise Unauthorized("token_missing", "log in first: this action needs an Authorization: Bearer token")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "bearer" or not encoded.strip():
        raise Unauthorized("token_invalid", "the Authorization header must be 'Bearer <token>'")
    try:
        token = Token.decode(encoded.strip(), secret, ALGORITHM, issuer=[ISSUER], require_claims=["exp", "sub"])
    except NotAuthorizedException as exc:
        # Litestar reports every failure as "Invalid token"; the cause says whether the token expired.
        expired = isinstance(exc.__cause__, jwt.ExpiredSignatureError) or "expired" in str(exc.detail).lower()
        code = "token_expired" if expired else "token_invalid"
        message = "the token has expired; log in again" if expired else "the token is not valid; log in again"
        raise Unauthorized(code, message) from None
    return Staff(username=token.sub, role=str(token.extras.get("role")), scope=token.extras.get("scope"))
