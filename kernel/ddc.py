"""Dewey Decimal Classification numbers as village libraries write them (`899.221`, `630`, `2X1`)."""

from __future__ import annotations

import re

CLASSES = tuple(f"{h}00" for h in range(10))
"""The ten main classes (hundreds), the granularity of the statistics and the search facet."""

_NUMBER = re.compile(r"^\d{3}(?:\.\d+)?$")


def ddc_class(ddc: str | None) -> str | None:
    """The DDC hundreds class of a class number: `899.221` -> `800`; None when there is none."""
    if not ddc or not ddc[:1].isdigit():
        return None
    return ddc[0] + "00"


def is_ddc_number(text: str) -> bool:
    """True for a DDC number: three digits, optionally a decimal part (`630`, `641.5`, `899.221`)."""
    return bool(_NUMBER.match(text.strip()))
