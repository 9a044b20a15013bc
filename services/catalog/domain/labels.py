"""Barcodes and call numbers for new copies."""

from __future__ import annotations

import re
import unicodedata

_ARTICLES = {"the", "a", "an", "der", "die", "das", "le", "la", "les", "el"}


def luhn_digit(number: str) -> str:
    """The Luhn check digit, so a mistyped barcode is caught at the desk instead of finding another copy."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def barcode(sequence: int) -> str:
    """A 12-digit, Code-128-safe barcode: 11 digits of accession number and a Luhn check digit."""
    body = f"{sequence:011d}"
    if len(body) != 11:
        raise ValueError(f"accession number {sequence} does not fit in 11 digits")
    return body + luhn_digit(body)


def is_valid_barcode(text: str) -> bool:
    return bool(re.fullmatch(r"\d{12}", text)) and luhn_digit(text[:11]) == text[11]


def _ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z]", "", folded)


def author_mark(author: str | None, title: str) -> str:
    """First three letters of the main entry: the author's surname, or the title when there is no author."""
    if author:
        name = author.strip()
        surname = name.split(",")[0] if "," in name else (name.split() or [""])[-1]
        letters = _ascii_letters(surname)
        if letters:
            return letters[:3].upper()
    return (_ascii_letters("".join(_title_words(title))) or "X")[:3].upper()


def _title_words(title: str) -> list[str]:
    words = title.split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    return words


def title_mark(title: str) -> str:
    words = _title_words(title)
    letters = _ascii_letters(words[0]) if words else ""
    return (letters[:1] or "x").lower()


def call_number(ddc: str | None, author: str | None, title: str) -> str:
    """The spine label in the usual Indonesian form: `899.221 HIR l` (class, author mark, title mark)."""
    return f"{ddc or '000'} {author_mark(author, title)} {title_mark(title)}"
