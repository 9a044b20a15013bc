"""Who may do what: staff roles and their scope, as pure rules (no I/O).

A library's Kemendagri code carries its kecamatan and kabupaten (`35.20.01.2001` lies in kecamatan
`35.20.01` of kabupaten `35.20`), so a rule never needs a lookup.
"""

from __future__ import annotations

from enum import Enum

import msgspec

from kernel.libraries import KABUPATEN_CODE, LIBRARY_CODE, kabupaten_of
from pustaka.errors import Forbidden

ROLES = ("admin", "district", "librarian")


class Action(str, Enum):
    CATALOGUE = "catalogue"  # ingest packages, fix rejected rows, edit items
    CIRCULATE = "circulate"  # members, loans, returns, renewals, holds, visits, reads, activities
    READ_STATS = "read_stats"  # statistics and exports
    MANAGE_STAFF = "manage_staff"
    CONFIGURE_KABUPATEN = "configure_kabupaten"  # kabupaten-wide settings (named by the kabupaten code)


class Staff(msgspec.Struct, frozen=True):
    username: str
    role: str
    scope: str | None = None
    """A kabupaten code for `district`, a library code for `librarian`, None for `admin`."""
    version: int | None = None
    """The account's token version when the token was issued (see pustaka/revocation.py)."""


def validate_scope(role: str, scope: str | None) -> str | None:
    """The scope a role needs, or a ValueError that says what is wrong."""
    if role not in ROLES:
        raise ValueError(f"role {role!r} must be one of {', '.join(ROLES)}")
    if role == "admin":
        if scope:
            raise ValueError("an admin has no scope")
        return None
    pattern = KABUPATEN_CODE if role == "district" else LIBRARY_CODE
    if not scope or not pattern.match(scope):
        expected = "a kabupaten code such as 35.20" if role == "district" else "a library code such as 35.20.01.2001"
        raise ValueError(f"a {role} needs --scope with {expected}")
    return scope


def may(staff: Staff, action: Action, library_code: str | None = None) -> bool:
    """Whether `staff` may do `action` in the library `library_code` (None: not tied to one library)."""
    if staff.role == "admin":
        return True
    if action is Action.MANAGE_STAFF:
        return False
    if staff.role == "librarian":
        return action is not Action.MANAGE_STAFF and library_code == staff.scope
    if staff.role == "district":
        if action is Action.CIRCULATE:
            return False
        return library_code is not None and kabupaten_of(library_code) == staff.scope
    return False


def authorise(staff: Staff, action: Action, library_code: str | None) -> None:
    """Refuse (403 `forbidden`) what `staff` may not do; every use case calls this before it reads or writes."""
    if not may(staff, action, library_code):
        where = f" in library {library_code}" if library_code else ""
        raise Forbidden("forbidden", f"{staff.username} ({staff.role}) may not do this{where}")


def may_read_scope(staff: Staff, scope_kind: str, code: str) -> bool:
    """Statistics scopes: a library, a kecamatan or a kabupaten, each named by its code."""
    if staff.role == "admin":
        return True
    if staff.role == "district":
        return kabupaten_of(code) == staff.scope
    if staff.role == "librarian":
        return scope_kind == "library" and code == staff.scope
    return False
