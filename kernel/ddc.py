"""Dewey Decimal Classification numbers as librarians type them, their main class, and the shelf order they give."""

from __future__ import annotations

import re

CLASSES = tuple(f"{h}00" for h in range(10))
"""The ten main classes (hundreds), the granularity of the statistics and the search facet."""


def ddc_class(ddc: str | None) -> str | None:
    """The DDC hundreds class of a class number: `899.221` -> `800`; None when there is none."""
    if not ddc or not ddc[:1].isdigit():
        return None
    return ddc[0] + "00"


_CLASS = re.compile(r"^(\d{3})(?:\.(\d+))?$")


class DdcError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def clean_ddc(text: str | None) -> str | None:
    """A class number (`630`, `641.5`, `899.221`), None for an empty value; `9999` or `abc` is refused."""
    value = (text or "").strip().replace(",", ".")
    if not value:
        return None
    if not _CLASS.match(value):
        raise DdcError(
            "ddc_invalid",
            f"'{text}' is not a DDC class: three digits, then optionally a point and more digits (630, 641.5, 899.221)",
        )
    return value


def hundreds(ddc: str | None) -> str:
    """The main class (`899.221` -> `800`); `000` for a copy without a class, as its call number says."""
    match = _CLASS.match((ddc or "").strip())
    return match[1][0] + "00" if match else "000"


def class_of_call_number(call_number: str) -> str:
    """The class part of a call number such as `899.221 HIR l`."""
    return (call_number.split() or ["000"])[0]
