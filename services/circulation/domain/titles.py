"""Title facts that travel with every event, so statistics never need the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.isbn import IsbnError, clean_isbn


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


def clean_isbn13(text: str) -> str:
    """An ISBN-13 as digits from any written ISBN the catalogue accepts (the kernel's rules), or an
    `isbn_*` refusal naming the field."""
    from pustaka.errors import Invalid

    try:
        isbn = clean_isbn(text)
    except IsbnError as error:
        raise Invalid(error.code, error.message, field="isbn13") from None
    if isbn.recovered:
        raise Invalid("isbn_length", f"'{text}' is not a whole ISBN", field="isbn13")
    return isbn.isbn13
