"""Search from PostgreSQL while the search engine cannot be reached: slower and plainer (trigram word
similarity over folded words, no synonyms), but a patron still finds books and sees where they are.

The answer has the engines' shape, with `degraded: true` so that the OPAC can say so. Highlights use the
same rules as the embedded engine (search/text.py).
"""

from __future__ import annotations

import time

import asyncpg

from pustaka.sql import load
from search.backend import FACETS, SearchQuery, SearchResult, empty_facets, hit_from_document
from search.documents import document_from_row
from search.text import Highlighter, query_words

Q = load(__file__, "fallback.sql")
_ORDERS = {
    "relevance": "score DESC, title_id, library",
    "year": "year ASC NULLS LAST, title_id, library",
    "-year": "year DESC NULLS LAST, title_id, library",
    "title": "lower(title), title_id, library",
}
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


async def search(pool: asyncpg.Pool, query: SearchQuery) -> SearchResult:
    started = time.perf_counter()
    parameters = _parameters(query)
    page_sql = f"{Q.matching}\n{Q.page}\nORDER BY {_ORDERS[query.sort]}\nLIMIT {query.per_page} OFFSET {query.offset}"
    async with pool.acquire() as conn:
        rows = await conn.fetch(page_sql, *parameters)
        facet_rows = await conn.fetch(f"{Q.matching}\n{Q.facets}", *parameters)
    words = [] if query.isbn13 else query_words(query.q)
    highlighter = Highlighter(words)
    hits = []
    for row in rows:
        doc = document_from_row(row)
        marked = {}
        if words:
            for name in ("title", "subtitle", "authors", "publisher", "category"):
                value = ", ".join(doc.authors) if name == "authors" else getattr(doc, name)
                text = highlighter.mark(value) if value else None
                if text is not None:
                    marked[name] = text
        hits.append(hit_from_document(doc, marked))
    facets = _facets(facet_rows)
    total = rows[0]["total"] if rows else sum(facets["library"].values())
    return SearchResult(hits=hits, facets=facets, total=total, page=query.page,
                        per_page=query.per_page, took_ms=round((time.perf_counter() - started) * 1000, 3),
                        degraded=True)
