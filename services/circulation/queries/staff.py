"""Staff accounts: adding them and logging in (staff.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "staff.sql")


class StaffUser(msgspec.Struct):
    username: str
    password_hash: str
    role: str
    scope: str | None
    active: bool
    token_version: int


staff_user = Q.one("staff_user", StaffUser)
upsert_staff_user = Q.value("upsert_staff_user", int)
"""The account's new token version."""
claim_attempt = Q.value("claim_attempt", int)
"""The failures counted so far, or None when the (user, client) pair is locked."""
retry_after = Q.value("retry_after", int)
forgive = Q.execute("forgive")
audit = Q.execute("audit")
