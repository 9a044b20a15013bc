"""Search from PostgreSQL while the search engine cannot be reached: slower and plainer (trigram word
similarity over folded words, no synonyms), but a patron still finds books and sees where they are.

The answer has the engines' shape, with `degraded: true` so that the OPAC can say so: with no library
chosen, one hit per title with its holdings and facets counting titles (search/grouping.py), as the
engines answer. Highlights use the same rules as the embedded engine (search/text.py). Words are matched
as written: no Indonesian stems here (search/morphology.py), and no synonyms.
"""

from __future__ import annotations

import functools
import time
from typing import TypeVar

import asyncpg
import msgspec

from pustaka.sql import All, Sql, load
from search.backend import FACETS, Hit, SearchQuery, SearchResult, empty_facets, hit_from_document
from search.documents import DocumentRow, TitleDocument, document_from_row
from search.grouping import grouped_hit
from search.text import Highlighter, query_words

Q = load(__file__, "fallback.sql")
R = TypeVar("R")
_ORDERS = {
    "relevance": "score DESC, title_id, library",
    "year": "year ASC NULLS LAST, title_id, library",
    "-year": "year DESC NULLS LAST, title_id, library",
    "title": "lower(title), title_id, library",
}
_GROUPED_ORDERS = {sort: order.removesuffix(", library") for sort, order in _ORDERS.items()}


class PageRow(DocumentRow):
    """A document of a page, with its score and how many documents match in all."""

    score: float
    total: int


class TitleRow(msgspec.Struct):
    """A title of a grouped page, with how many titles match in all."""

    title_id: int
    score: float
    year: int | None
    title: str
    total: int


class FacetRow(msgspec.Struct):
    """One grouping set's count: the column of its facet holds the value, the others are NULL."""

    library: str | None
    kecamatan: str | None
    on_shelf: bool | None
    language: str | None
    audience: str | None
    category: str | None
    ddc_class: str | None
    year: str | None
    n: int

    def facet(self) -> tuple[str, str] | None:
        """The facet this row counts and its value as the engines name it (None: a NULL value)."""
        values = (
            self.library,
            self.kecamatan,
            self.on_shelf,
            self.language,
            self.audience,
            self.category,
            self.ddc_class,
            self.year,
        )
        for name, value in zip(FACETS, values):
            if value is not None:
                return name, ("true" if value else "false") if name == "available" else str(value)
        return None


def _after_matching(name: str, row: type[R], order: str = "") -> All[R]:
    """A query of fallback.sql that follows the `matching` CTE, with one of the fixed orders."""
    return All(Sql(name, f"{Q.matching}\n{getattr(Q, name)}{order}"), row)


@functools.lru_cache(maxsize=256)
def _page(sort: str, limit: int, offset: int) -> All[PageRow]:
    """A page of documents (the limit and offset written in, as integers, so that the planner sees them)."""
    return _after_matching("page", PageRow, f"\nORDER BY {_ORDERS[sort]}\nLIMIT {limit} OFFSET {offset}")


@functools.lru_cache(maxsize=256)
def _grouped_page(sort: str, limit: int, offset: int) -> All[TitleRow]:
    """A page of titles (one per title, with no library chosen)."""
    return _after_matching(
        "grouped_page", TitleRow, f"\nORDER BY {_GROUPED_ORDERS[sort]}\nLIMIT {limit} OFFSET {offset}"
    )


_facets_of = _after_matching("facets", FacetRow)
_holdings = _after_matching("holdings", DocumentRow)
"""The documents of the given titles (`title_ids`)."""
_grouped_facets = _after_matching("grouped_facets", FacetRow)


def _parameters(query: SearchQuery) -> dict[str, object]:
    words = "" if query.isbn13 else " ".join(w.text for w in query_words(query.q))
    return {
        "words": words,
        "isbn13": query.isbn13,
        "language": query.language,
        "audience": query.audience,
        "category": query.category,
        "ddc_class": query.ddc_class,
        "year_from": query.year_from,
        "year_to": query.year_to,
        "library": query.library,
        "kecamatan": query.kecamatan,
        "available": query.available,
    }


def _facets(rows: list[FacetRow]) -> dict[str, dict[str, int]]:
    facets = empty_facets()
    for row in rows:
        facet = row.facet()
        if facet is not None:
            name, key = facet
            facets[name][key] = row.n
    return {name: dict(sorted(counts.items())) for name, counts in facets.items()}


def _highlights(doc: TitleDocument, highlighter: Highlighter) -> dict[str, str]:
    marked = {}
    if highlighter.words:
        for name in ("title", "subtitle", "authors", "publisher", "category"):
            value = ", ".join(doc.authors) if name == "authors" else getattr(doc, name)
            text = highlighter.mark(value) if value else None
            if text is not None:
                marked[name] = text
    return marked


async def search(pool: asyncpg.Pool, query: SearchQuery) -> SearchResult:
    started = time.perf_counter()
    parameters = _parameters(query)
    highlighter = Highlighter([] if query.isbn13 else query_words(query.q))
    async with pool.acquire() as conn:
        if query.grouped:
            async with conn.transaction(isolation="repeatable_read", readonly=True):  # one snapshot
                hits, total, facet_rows = await _grouped(conn, query, parameters, highlighter)
        else:
            rows = await _page(query.sort, query.per_page, query.offset)(conn, **parameters)
            facet_rows = await _facets_of(conn, **parameters)
            hits = [hit_from_document(doc, _highlights(doc, highlighter)) for doc in map(document_from_row, rows)]
            total = rows[0].total if rows else None
    facets = _facets(facet_rows)
    if total is None:  # a page after the last: the facets still count every match
        total = sum(facets["available" if query.grouped else "library"].values())
    return SearchResult(
        hits=hits,
        facets=facets,
        total=total,
        page=query.page,
        per_page=query.per_page,
        took_ms=round((time.perf_counter() - started) * 1000, 3),
        degraded=True,
    )


async def _grouped(
    conn: asyncpg.Connection, query: SearchQuery, parameters: dict[str, object], highlighter: Highlighter
) -> tuple[list[Hit], int | None, list[FacetRow]]:
    """One hit per title, with the libraries holding it (those the filters keep), as the engines group."""
    titles = await _grouped_page(query.sort, query.per_page, query.offset)(conn, **parameters)
    title_ids = [title.title_id for title in titles]
    documents: dict[int, list[TitleDocument]] = {}
    if title_ids:
        for row in await _holdings(conn, **parameters, title_ids=title_ids):
            documents.setdefault(row.title_id, []).append(document_from_row(row))
    facet_rows = await _grouped_facets(conn, **parameters)
    hits = []
    for title_id in title_ids:
        docs = documents[title_id]
        hits.append(
            grouped_hit([hit_from_document(doc, {}) for doc in docs], query.near, _highlights(docs[0], highlighter))
        )
    return hits, titles[0].total if titles else None, facet_rows
