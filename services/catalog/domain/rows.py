"""Validation of one manifest row: accepted as a book with its copies, or rejected with the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.clock import today as jakarta_today
from kernel.isbn import Isbn, IsbnError, clean_isbn
from services.catalog.domain.manifest import ManifestRow

MAX_COPIES = 500
_YEAR = re.compile(r"(?<!\d)(1[4-9]\d\d|20\d\d)(?!\d)")
FIRST_PRINTED_YEAR = 1450
_DDC = re.compile(r"^\s*(\d{3}(?:\.\d+)?)")
_LANGUAGES = {
    "ind": "ind",
    "id": "ind",
    "in": "ind",
    "indonesia": "ind",
    "bahasa indonesia": "ind",
    "indonesian": "ind",
    "eng": "eng",
    "en": "eng",
    "en-us": "eng",
    "en-gb": "eng",
    "en-ca": "eng",
    "inggris": "eng",
    "bahasa inggris": "eng",
    "english": "eng",
    "jav": "jav",
    "jv": "jav",
    "jawa": "jav",
    "bahasa jawa": "jav",
    "javanese": "jav",
    "ara": "ara",
    "ar": "ara",
    "arab": "ara",
    "bahasa arab": "ara",
    "arabic": "ara",
    "msa": "msa",
    "may": "msa",
    "ms": "msa",
    "melayu": "msa",
    "malay": "msa",
    "sun": "sun",
    "su": "sun",
    "sunda": "sun",
}
_AUDIENCES = {
    "anak": "anak",
    "anak-anak": "anak",
    "children": "anak",
    "child": "anak",
    "remaja": "remaja",
    "young adult": "remaja",
    "teen": "remaja",
    "teens": "remaja",
    "dewasa": "dewasa",
    "adult": "dewasa",
    "adults": "dewasa",
    "umum": "umum",
    "semua umur": "umum",
    "general": "umum",
    "all": "umum",
}


@dataclass(frozen=True, slots=True)
class Book:
    """An accepted row: one title and how many copies of it arrived."""

    row: int
    isbn: Isbn | None
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    publisher: str | None
    year: int | None
    copies: int
    ddc: str | None
    category: str | None
    language: str | None
    audience: str | None
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    field: str
    value: str
    code: str
    message: str


class RowError(ValueError):
    def __init__(self, field: str, value: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.value, self.code, self.message = field, value, code, message


def split_authors(text: str) -> tuple[str, ...]:
    """Authors as a spreadsheet writes them: `A; B`, `A | B`, or a comma list `A, B` (but `Surname, Given`)."""
    text = (text or "").strip()
    if not text:
        return ()
    if ";" in text or "|" in text:
        parts = re.split(r"\s*[;|]\s*", text)
    else:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) == 2 and " " not in parts[0] and len(parts[1].split()) <= 3:
            parts = [text]  # "Hirata, Andrea": one author, inverted
    return tuple(p for p in (q.strip() for q in parts) if p)


def parse_copies(value: str) -> int:
    text = (value or "").strip()
    if not text:
        return 1
    match = re.fullmatch(r"([+-]?\d+)(?:\.0+)?", text)
    if not match:
        raise RowError("copies", text, "copies_not_a_number", f"jumlah '{text}' is not a whole number")
    count = int(match[1])
    if count < 1:
        raise RowError("copies", text, "copies_not_positive", f"jumlah {count} must be at least 1")
    if count > MAX_COPIES:
        raise RowError("copies", text, "copies_too_many", f"jumlah {count} is more than {MAX_COPIES} copies")
    return count


def parse_year(value: str) -> int | None:
    text = (value or "").strip()
    if not text or text.lower() in {"s.a", "s.a.", "[s.a]", "[s.a.]", "n.d.", "-"}:
        return None
    match = _YEAR.search(text)
    if not match or not FIRST_PRINTED_YEAR <= int(match[1]) <= jakarta_today().year + 1:
        raise RowError("year", text, "year_invalid", f"tahun '{text}' is not a year of publication")
    return int(match[1])


def parse_ddc(value: str) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    match = _DDC.match(text.replace(",", "."))
    if not match:
        raise RowError("ddc", text, "ddc_invalid", f"DDC '{text}' does not start with a three-digit class")
    return match[1]


def _code(table: dict[str, str], value: str) -> str | None:
    text = re.sub(r"\s+", " ", (value or "").strip())
    if not text:
        return None
    return table.get(text.lower(), text)


def _text(value: str) -> str | None:
    text = re.sub(r"\s+", " ", (value or "").strip())
    return text or None


def validate_row(row: ManifestRow, *, allow_missing_isbn: bool = False) -> Book | Rejection:
    """Accept a row as a Book or say, for the first wrong field, why not."""
    if row.problem is not None:
        return Rejection(row.number, *row.problem)
    values = row.values
    title = _text(values.get("title", ""))
    try:
        isbn = _isbn(values.get("isbn", ""), allow_missing_isbn)
        if not title:
            raise RowError("title", "", "title_missing", "judul (title) is empty")
        return Book(
            row=row.number,
            isbn=isbn,
            title=title,
            subtitle=_text(values.get("subtitle", "")),
            authors=split_authors(values.get("authors", "")),
            publisher=_text(values.get("publisher", "")),
            year=parse_year(values.get("year", "")),
            copies=parse_copies(values.get("copies", "")),
            ddc=parse_ddc(values.get("ddc", "")),
            category=_text(values.get("category", "")),
            language=_code(_LANGUAGES, values.get("language", "")),
            audience=_code(_AUDIENCES, values.get("audience", "")),
            subjects=tuple(s for s in re.split(r"\s*[;|]\s*", values.get("subjects", "") or "") if s),
        )
    except RowError as error:
        return Rejection(row.number, error.field, error.value, error.code, error.message)


def _isbn(value: str, allow_missing: bool) -> Isbn | None:
    if allow_missing and not (value or "").strip():
        return None
    try:
        return clean_isbn(value)
    except IsbnError as error:
        raise RowError("isbn", (value or "").strip(), error.code, error.message) from None
