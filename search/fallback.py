"""Search from PostgreSQL while the search engine cannot be reached: slower and plainer (trigram word
similarity over folded words, no synonyms), but a patron still finds books and sees where they are.

The answer has the engines' shape, with `degraded: true` so that the OPAC can say so: with no library
chosen, one hit per title with its holdings and facets counting titles (search/grouping.py), as the
engines answer. Highlights use the same rules as the embedded engine (search/text.py). Words are matched
as written: no Indonesian stems here (search/morphology.py), and no synonyms.
"""

from __future__ import annotations

import time

import asyncpg

from pustaka.sql import load
from search.backend import FACETS, Hit, SearchQuery, SearchResult, empty_facets, hit_from_document
from search.documents import TitleDocument, document_from_row
from search.grouping import grouped_hit
from search.text import Highlighter, query_words

Q = load(__file__, "fallback.sql")
_ORDERS = {
    "relevance": "score DESC, title_id, library",
    "year": "year ASC NULLS LAST, title_id, library",
    "-year": "year DESC NULLS LAST, title_id, library",
    "title": "lower(title), title_id, library",
}
_GROUPED_ORDERS = {sort: order.removesuffix(", library") for sort, order in _ORDERS.items()}
_FACET_COLUMNS = {"available": "on_shelf"}


def _parameters(query: SearchQuery) -> list[object]:
    text = "" if query.isbn13 else " ".join(w.text for w in query_words(query.q))
    return [text, query.isbn13, query.language, query.audience, query.category, query.ddc_class, query.year_from,
            query.year_to, query.library, query.kecamatan, query.available]


def _facets(rows: list[asyncpg.Record]) -> dict[str, dict[str, int]]:
    facets = empty_facets()
    for row in rows:
        for name in FACETS:
            value = row[_FACET_COLUMNS.get(name, name)]
            if value is not None:
                key = ("true" if value else "false") if name == "available" else str(value)
                facets[name][key] = row["n"]
                break
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
            page_sql = (f"{Q.matching}\n{Q.page}\nORDER BY {_ORDERS[query.sort]}\n"
                        f"LIMIT {query.per_page} OFFSET {query.offset}")
            rows = await conn.fetch(page_sql, *parameters)
            facet_rows = await conn.fetch(f"{Q.matching}\n{Q.facets}", *parameters)
            hits = [hit_from_document(doc, _highlights(doc, highlighter)) for doc in map(document_from_row, rows)]
            total = rows[0]["total"] if rows else None
    facets = _facets(facet_rows)
    if total is None:  # a page after the last: the facets still count every match
        total = sum(facets["available" if query.grouped else "library"].values())
    return SearchResult(hits=hits, facets=facets, total=total, page=query.page,
                        per_page=query.per_page, took_ms=round((time.perf_counter() - started) * 1000, 3),
                        degraded=True)


async def _grouped(conn: asyncpg.Connection, query: SearchQuery, parameters: list[object],
                   highlighter: Highlighter) -> tuple[list[Hit], int | None, list[asyncpg.Record]]:
    """One hit per title, with the libraries holding it (those the filters keep), as the engines group."""
    page_sql = (f"{Q.matching}\n{Q.grouped_page}\nORDER BY {_GROUPED_ORDERS[query.sort]}\n"
                f"LIMIT {query.per_page} OFFSET {query.offset}")
    titles = await conn.fetch(page_sql, *parameters)
    title_ids = [row["title_id"] for row in titles]
    documents: dict[int, list[TitleDocument]] = {}
    if title_ids:
        for row in await conn.fetch(f"{Q.matching}\n{Q.holdings}", *parameters, title_ids):
            documents.setdefault(row["title_id"], []).append(document_from_row(row))
    facet_rows = await conn.fetch(f"{Q.matching}\n{Q.grouped_facets}", *parameters)
    hits = []
    for title_id in title_ids:
        docs = documents[title_id]
        hits.append(grouped_hit([hit_from_document(doc, {}) for doc in docs], query.near,
                                _highlights(docs[0], highlighter)))
    return hits, titles[0]["total"] if titles else None, facet_rows
