"""The one search interface, its query and its answer. Every value of a query is validated here, before
any backend sees it: codes by pattern, vocabularies by list, free text by length and characters."""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

import msgspec

from kernel.ddc import CLASSES
from kernel.isbn import lookup_form
from pustaka.errors import AppError, Invalid
from search.documents import TitleDocument

FACETS = ("library", "kecamatan", "available", "language", "audience", "category", "ddc_class", "year")
SORTS = ("relevance", "year", "-year", "title")
MAX_Q = 200
MAX_PER_PAGE = 100
MAX_RESULTS = 100_000
HIGHLIGHTED = ("title", "subtitle", "authors", "publisher", "category")

_LIBRARY = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}(-TBM\d{1,2})?$")
_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
# Facet values as librarians type them: letters of any script, digits, spaces and a little punctuation.
# Quotes, backslashes and control characters are refused outright, so no value can leave its quotes.
_FACET_VALUE = re.compile(r"^[^\W_](?:[\w .,&()'/:+-]*[\w.)])?$")
_ISBN_LIKE = re.compile(r"^\s*(?:isbn[\s:-]*(?:1[03][\s:-]*)?)?[\dXx][\dXx\s-]{8,20}\s*$", re.IGNORECASE)


class SearchUnavailable(AppError):
    """The search engine cannot be reached; the outbox keeps every change until it can."""

    status = 503
    title = "Service unavailable"


class SearchQuery(msgspec.Struct, frozen=True, kw_only=True):
    q: str = ""
    library: str | None = None
    kecamatan: str | None = None
    available: bool | None = None
    language: str | None = None
    audience: str | None = None
    category: str | None = None
    ddc_class: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    near: str | None = None
    """The patron's library: its holding comes first in a grouped hit."""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        validate(self)

    @property
    def isbn13(self) -> str | None:
        """The ISBN-13 when the query is an ISBN in any written form (10 or 13 digits, hyphens)."""
        if not _ISBN_LIKE.match(self.q):
            return None
        return lookup_form(self.q)

    @property
    def grouped(self) -> bool:
        """With no library chosen, one hit per title with the libraries that hold it."""
        return self.library is None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _check(ok: bool, code: str, field: str, detail: str) -> None:
    if not ok:
        raise Invalid(code, detail, field=field)


def validate(query: SearchQuery) -> None:
    """Raise Invalid (with a code and the field) for the first value that is not acceptable."""
    _check(len(query.q) <= MAX_Q, "q_too_long", "q", f"a search may have at most {MAX_Q} characters")
    _check(query.q.isprintable() or not query.q, "q_invalid", "q", "the search text has control characters")
    _check(
        query.library is None or bool(_LIBRARY.match(query.library)),
        "library_invalid",
        "library",
        "library must be a library code such as 35.20.01.2001 or 35.20.05.2003-TBM1",
    )
    _check(
        query.near is None or bool(_LIBRARY.match(query.near)),
        "near_invalid",
        "near",
        "near must be a library code such as 35.20.01.2001 or 35.20.05.2003-TBM1",
    )
    _check(
        query.kecamatan is None or bool(_KECAMATAN.match(query.kecamatan)),
        "kecamatan_invalid",
        "kecamatan",
        "kecamatan must be a kecamatan code such as 35.20.01",
    )
    for field in ("language", "audience", "category"):
        value = getattr(query, field)
        _check(
            value is None or (len(value) <= 100 and bool(_FACET_VALUE.match(value))),
            f"{field}_invalid",
            field,
            f"{field} must be a value from the {field} facet (letters, digits, spaces; at most 100 characters)",
        )
    _check(
        query.ddc_class is None or query.ddc_class in CLASSES,
        "ddc_class_invalid",
        "ddc_class",
        "ddc_class must be one of 000, 100, ..., 900",
    )
    for field in ("year_from", "year_to"):
        value = getattr(query, field)
        _check(value is None or 1000 <= value <= 2100, "year_invalid", field, f"{field} must be a year")
    _check(
        query.year_from is None or query.year_to is None or query.year_from <= query.year_to,
        "year_range_invalid",
        "year_from",
        "year_from must not be after year_to",
    )
    _check(query.sort in SORTS, "sort_invalid", "sort", f"sort must be one of {', '.join(SORTS)}")
    _check(
        1 <= query.per_page <= MAX_PER_PAGE,
        "per_page_invalid",
        "per_page",
        f"per_page must be between 1 and {MAX_PER_PAGE}",
    )
    _check(
        query.page >= 1 and query.page * query.per_page <= MAX_RESULTS,
        "page_invalid",
        "page",
        f"page must be 1 or more, within the first {MAX_RESULTS:,} results",
    )


_INTEGERS = ("year_from", "year_to", "page", "per_page")
_TEXTS = ("q", "library", "near", "kecamatan", "language", "audience", "category", "ddc_class", "sort")


def query_from_params(params: Iterable[tuple[str, str]]) -> SearchQuery:
    """A SearchQuery from URL query parameters; unknown, repeated or malformed parameters are refused."""
    values: dict[str, object] = {}
    for name, raw in params:
        if name not in _INTEGERS and name not in _TEXTS and name != "available":
            raise Invalid("parameter_unknown", f"unknown search parameter '{name[:40]}'", field=name[:40])
        if name in values:
            raise Invalid("parameter_repeated", f"'{name}' may be given only once", field=name)
        if name in _INTEGERS:
            _check(
                raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 6,
                "year_invalid" if name.startswith("year") else f"{name}_invalid",
                name,
                f"{name} must be a whole number",
            )
            values[name] = int(raw)
        elif name == "available":
            _check(
                raw.lower() in ("true", "false", "1", "0"), "available_invalid", name, "available must be true or false"
            )
            values[name] = raw.lower() in ("true", "1")
        elif raw.strip() or name == "q":
            values[name] = raw.strip() if name != "q" else raw
    return SearchQuery(**values)  # type: ignore[arg-type]


class Holding(msgspec.Struct, kw_only=True):
    """A library that holds a title, with its copies and how many are on the shelf."""

    library: str
    name: str
    copies: int
    available: int


class Hit(msgspec.Struct, kw_only=True):
    id: str
    isbn13: str | None
    isbn10: str | None
    isbn: str | None
    local_code: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    publisher: str | None
    year: int | None
    language: str | None
    audience: str | None
    category: str | None
    ddc: str | None
    library: str
    library_name: str
    kecamatan: str
    kecamatan_name: str
    copies: int
    available: int
    call_number: str
    highlight: dict[str, str]
    """Field -> HTML-escaped text with <mark>...</mark> around what the query matched."""
    holdings: list[Holding] = []
    """With no library filter: every library holding the title (among those the filters keep), the
    patron's (`near`) first, then those with a copy on the shelf; the hit's own library is the first."""


def hit_from_document(doc: TitleDocument, highlight: dict[str, str]) -> Hit:
    return Hit(
        id=doc.id,
        isbn13=doc.isbn13,
        isbn10=doc.isbn10,
        isbn=doc.isbn,
        local_code=doc.local_code,
        title=doc.title,
        subtitle=doc.subtitle,
        authors=doc.authors,
        publisher=doc.publisher,
        year=doc.year,
        language=doc.language,
        audience=doc.audience,
        category=doc.category,
        ddc=doc.ddc,
        library=doc.library,
        library_name=doc.library_name,
        kecamatan=doc.kecamatan,
        kecamatan_name=doc.kecamatan_name,
        copies=doc.copies,
        available=doc.available,
        call_number=doc.call_number,
        highlight=highlight,
    )


class SearchResult(msgspec.Struct, kw_only=True):
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    """Facet -> value -> number of matching titles, for every facet in FACETS. Grouped (no library
    filter): `library` and `kecamatan` count the titles each library (each kecamatan's libraries) holds,
    so a title held twice counts twice there; `available` counts titles with a copy on a shelf (`true`)
    and titles with none (`false`); the others count each title once."""
    total: int
    """Matching titles (grouped) or matching titles of the chosen library."""
    page: int
    per_page: int
    took_ms: float
    degraded: bool = False
    """True: the engine could not be reached and PostgreSQL answered (plainer matching, search/fallback.py)."""


class Health(msgspec.Struct, kw_only=True):
    engine: str
    ok: bool
    documents: int | None
    detail: str | None = None


@runtime_checkable
class SearchBackend(Protocol):
    """What every search engine adapter offers. Writes are idempotent: a document is keyed by its id."""

    name: str

    async def upsert(self, docs: Sequence[TitleDocument]) -> None:
        """Add or replace documents; return only once the engine has accepted them."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (ids that are absent are fine)."""

    async def search(self, query: SearchQuery) -> SearchResult: ...

    async def rebuild(self, batches: AsyncIterable[Sequence[TitleDocument]]) -> int:
        """Build a new index aside from these documents, then swap it in; searches never see a gap."""

    async def health(self) -> Health: ...

    async def close(self) -> None: ...


async def batches_of(docs: Iterable[TitleDocument], size: int = 2000) -> AsyncIterable[list[TitleDocument]]:
    """Feed a plain list of documents to `rebuild`."""
    batch: list[TitleDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def empty_facets() -> dict[str, dict[str, int]]:
    return {name: {} for name in FACETS}


def facet_params(query: SearchQuery) -> Mapping[str, object]:
    """The filter values of a query by facet name (None: no filter on that facet)."""
    return {
        "library": query.library,
        "kecamatan": query.kecamatan,
        "available": query.available,
        "language": query.language,
        "audience": query.audience,
        "category": query.category,
        "ddc_class": query.ddc_class,
    }
