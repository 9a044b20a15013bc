"""ISBN cleaning: what a librarian's spreadsheet holds in its ISBN column, made into an ISBN-13 or refused.

Spreadsheets damage ISBNs in known ways: Excel stores an ISBN-10 as a number and drops its leading zeros,
writes a long number in scientific notation (losing its last digits), and adds `.0` to whole numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import isbnlib

_PREFIX = re.compile(r"^\s*isbn(?:[\s-]*1[03])?\s*[:.]?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u00ad]+")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")


class IsbnError(ValueError):
    """An ISBN that cannot be accepted; `code` is stable for machines, `message` is for the librarian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Isbn:
    isbn13: str
    recovered: bool = False
    """True when leading zeros dropped by a spreadsheet had to be put back."""

    @property
    def isbn10(self) -> str | None:
        return isbnlib.to_isbn10(self.isbn13) or None

    @property
    def display(self) -> str:
        """The hyphenated form, for labels and pages (falls back to the bare digits)."""
        return isbnlib.mask(self.isbn13) or self.isbn13


def _isbn10_to_13(digits: str) -> str:
    return isbnlib.to_isbn13(digits)


def clean_isbn(raw: str) -> Isbn:
    """Turn a written ISBN (10 or 13, hyphens, spaces, `ISBN` prefix, lost zeros) into an ISBN-13."""
    text = (raw or "").strip()
    if not text:
        raise IsbnError("isbn_missing", "the ISBN is empty")
    if _SCIENTIFIC.match(text):
        raise IsbnError(
            "isbn_scientific_notation",
            f"'{text}' is an ISBN that Excel turned into a number in scientific notation; its last digits "
            "are lost and cannot be recovered. Format the column as Text and type the ISBN again.",
        )
    text = _PREFIX.sub("", text)
    whole = _WHOLE_FLOAT.match(text)
    if whole:
        text = whole[1]
    digits = _SEPARATORS.sub("", text).upper()
    if not re.fullmatch(r"\d+X?", digits):
        raise IsbnError("isbn_characters", f"'{raw.strip()}' contains characters that cannot be in an ISBN")
    if len(digits) == 13:
        return _checked13(digits, raw)
    if len(digits) == 10:
        return _checked10(digits, raw, recovered=False)
    if 7 <= len(digits) <= 9:
        padded = digits.rjust(10, "0")
        if isbnlib.is_isbn10(padded):
            return Isbn(_isbn10_to_13(padded), recovered=True)
        raise IsbnError(
            "isbn_checksum",
            f"'{raw.strip()}' has {len(digits)} digits; even with the leading zeros a spreadsheet may have "
            f"dropped put back ({padded}) it fails the ISBN-10 check digit",
        )
    if "X" in digits:
        raise IsbnError("isbn_characters", f"'{raw.strip()}': only an ISBN-10 may end in X")
    raise IsbnError(
        "isbn_length",
        f"'{raw.strip()}' has {len(digits)} digits; an ISBN has 10 or 13",
    )


def _checked13(digits: str, raw: str) -> Isbn:
    if "X" in digits:
        raise IsbnError("isbn_characters", f"'{raw.strip()}': an ISBN-13 cannot contain X")
    if not digits.startswith(("978", "979")):
        raise IsbnError("isbn_prefix", f"'{raw.strip()}' does not start with 978 or 979, so it is not an ISBN")
    if not isbnlib.is_isbn13(digits):
        raise IsbnError("isbn_checksum", f"'{raw.strip()}' fails the ISBN-13 check digit")
    return Isbn(digits)


def _checked10(digits: str, raw: str, *, recovered: bool) -> Isbn:
    if not isbnlib.is_isbn10(digits):
        raise IsbnError("isbn_checksum", f"'{raw.strip()}' fails the ISBN-10 check digit")
    return Isbn(_isbn10_to_13(digits), recovered=recovered)


def lookup_form(raw: str) -> str | None:
    """The ISBN-13 for a URL or search box value, or None when it is not an ISBN at all (no recovery)."""
    try:
        isbn = clean_isbn(raw)
    except IsbnError:
        return None
    return None if isbn.recovered else isbn.isbn13


def registration_group(isbn13: str) -> str | None:
    """The ISBN agency's area ('Indonesia', 'English language', ...), from isbnlib's offline tables."""
    try:
        return isbnlib.info(isbn13) or None
    except Exception:  # isbnlib raises its own errors for unknown ranges
        return None
