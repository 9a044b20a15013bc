"""Members (anggota): category from birth year, printable member numbers, membership expiry."""

from __future__ import annotations

import datetime as dt
import re

from kernel.dates import add_years
from pustaka.errors import Invalid

CATEGORIES = ("anak", "remaja", "dewasa", "lansia")
GENDERS = ("L", "P")
STATUSES = ("active", "suspended")
MEMBERSHIP_YEARS = 3
OLDEST_BIRTH_YEAR = 1900
_GENDER_WORDS = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "w": "P",
    "f": "P",
    "female": "P",
}
_NUMBER = re.compile(r"^(\d{10})(T\d+)?-(\d{5,})$")


def category_of(birth_year: int, on: dt.date) -> str:
    """The member category on a date: anak 0-12, remaja 13-17, dewasa 18-59, lansia 60+ (age by year)."""
    age = on.year - birth_year
    if age < 0:
        raise ValueError(f"birth year {birth_year} is after {on.year}")
    if age <= 12:
        return "anak"
    if age <= 17:
        return "remaja"
    if age <= 59:
        return "dewasa"
    return "lansia"


def check_birth_year(birth_year: int, today: dt.date) -> int:
    """The birth year if it is plausible, else an Invalid refusal naming the field."""
    if not OLDEST_BIRTH_YEAR <= birth_year <= today.year:
        raise Invalid(
            "birth_year_invalid",
            f"birth year {birth_year} must be between {OLDEST_BIRTH_YEAR} and {today.year}",
            field="birth_year",
        )
    return birth_year


def parse_gender(text: str) -> str:
    """`L` or `P` from the forms a list may use (L/P, laki-laki/perempuan, M/F)."""
    gender = _GENDER_WORDS.get(re.sub(r"\s+", " ", (text or "").strip().lower()))
    if gender is None:
        raise Invalid("gender_invalid", f"gender '{text}' must be L (laki-laki) or P (perempuan)", field="gender")
    return gender


def _luhn(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def member_number(library_code: str, sequence: int) -> str:
    """A printable, Code-128-safe number: the library's code digits, '-', a library-scoped sequence and a
    Luhn check digit (so a mistyped card number does not find another member).

    `35.20.01.2002`, 17 -> `3520012002-000177`; a TBM `35.20.05.2003-TBM1` -> `3520052003T1-000...`.
    """
    base, _, tbm = library_code.partition("-TBM")
    digits = base.replace(".", "")
    body = f"{sequence:05d}"
    return f"{digits}{'T' + tbm if tbm else ''}-{body}{_luhn(digits + (tbm or '') + body)}"


def is_valid_member_number(text: str) -> bool:
    """Whether `text` has the form of a member number and its check digit is right."""
    match = _NUMBER.match(text)
    if not match:
        return False
    tbm = (match[2] or "")[1:]
    body = match[3]
    return _luhn(match[1] + tbm + body[:-1]) == body[-1]


def renewed_expiry(expires_on: dt.date, today: dt.date, years: int = MEMBERSHIP_YEARS) -> dt.date:
    """A renewal extends from the old expiry, or from today when the membership has already lapsed."""
    return add_years(max(expires_on, today), years)
