"""Staff accounts as the admin manages them (users.sql)."""

from __future__ import annotations

import datetime as dt

import msgspec

from pustaka.sql import load

Q = load(__file__, "users.sql")


class UserRow(msgspec.Struct):
    username: str
    role: str
    scope: str | None
    active: bool
    created_at: dt.datetime


class LockedUser(msgspec.Struct):
    username: str
    role: str
    scope: str | None
    active: bool


users = Q.all("users", UserRow)
user = Q.one("user", UserRow)
user_for_update = Q.one("user_for_update", LockedUser)
set_active = Q.one("set_active", UserRow)
set_scope = Q.one("set_scope", UserRow)
set_password = Q.one("set_password", UserRow)
audit = Q.execute("audit")
