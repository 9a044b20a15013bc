"""Whose members a library serves: its own, or (when its kabupaten allows it) any library's in the kabupaten.

A refusal never tells a librarian whether a member of another library exists: a number whose card names
another library is refused as `member_of_other_library` whether or not it belongs to anyone."""

from __future__ import annotations

from pustaka.errors import Conflict


def card_library(member_number: str) -> str:
    """The library part of a member number as printed on the card (`3520012002`, `3520052003T1`)."""
    return member_number.split("-", 1)[0]


def card_of(library_code: str) -> str:
    """The library part a member number of `library_code` starts with."""
    base, _, tbm = library_code.partition("-TBM")
    return base.replace(".", "") + (f"T{tbm}" if tbm else "")


def serves(library: str, member_library: str, whole_kabupaten: bool) -> bool:
    """Whether `library` may lend to (and hold for) a member registered at `member_library`."""
    return member_library == library or (whole_kabupaten and member_library[:5] == library[:5])


def _refusal() -> Conflict:
    return Conflict(
        "member_of_other_library",
        "this member card belongs to another library; the member borrows there",
        field="member_number",
    )


def ensure_serves(library: str, member_library: str, whole_kabupaten: bool) -> None:
    """Refuse a member of another library (409 `member_of_other_library`)."""
    if not serves(library, member_library, whole_kabupaten):
        raise _refusal()


def refuse_unknown(library: str, member_number: str, whole_kabupaten: bool) -> Conflict | None:
    """For a number that finds nobody: the same refusal as for a real member of another library, when the
    card names a library this one may not serve (so the answer reveals nothing); None otherwise."""
    card = card_library(member_number)
    if card == card_of(library) or (whole_kabupaten and card[:4] == card_of(library)[:4]):
        return None
    return _refusal()


def visible_name(library: str, member_library: str, name: str) -> str | None:
    """A member's name as a librarian of `library` may see it: only a member of that library."""
    return name if member_library == library else None
