"""Title facts that travel with every event, so statistics never need the catalogue."""

from __future__ import annotations

from dataclasses import dataclass


def ddc_class(ddc: str | None) -> str | None:
    """The DDC hundreds class of a class number: `899.221` -> `800`; None when there is none."""
    if not ddc or not ddc[:1].isdigit():
        return None
    return ddc[0] + "00"


@dataclass(frozen=True, slots=True)
class TitleFacts:
    """What statistics need to know of a copy's title, as of the event."""

    title_id: int | None
    isbn13: str | None
    ddc_class: str | None
    audience: str | None
    category: str | None
    language: str | None
    barcode: str | None = None


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What statistics may know of a member: no name, number or contact; an internal id only."""

    id: int
    category: str
    gender: str
    disability: bool
    library: str


def _check13(first12: str) -> str:
    return str((10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12)) % 10) % 10)


def clean_isbn13(text: str) -> str:
    """An ISBN-13 as digits from an ISBN-13 or ISBN-10 (hyphens and spaces allowed), checksum verified; else an
    `isbn_invalid` or `isbn_checksum` refusal."""
    from pustaka.errors import Invalid

    digits = "".join(ch for ch in text if ch not in "- ").upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        if total % 11:
            raise Invalid("isbn_checksum", f"'{text}' has a wrong ISBN-10 check digit", field="isbn13")
        return "978" + digits[:9] + _check13("978" + digits[:9])
    if len(digits) != 13 or not digits.isdigit() or digits[:3] not in ("978", "979"):
        raise Invalid("isbn_invalid", f"'{text}' is not an ISBN (13 digits starting 978 or 979, or an ISBN-10)",
                      field="isbn13")
    if _check13(digits[:12]) != digits[12]:
        raise Invalid("isbn_checksum", f"'{text}' has a wrong ISBN-13 check digit", field="isbn13")
    return digits
