"""The alternative the embedded backend was chosen against: PostgreSQL with pg_trgm and unaccent, asked
the same typo-tolerant questions (word similarity) with the same facet counts, in process.

Used by bench_search.py; a table of its own (`bench_search_docs`) in the benchmark's throw-away database.
"""

from __future__ import annotations

import statistics
import time

import asyncpg

SETUP = """
CREATE TABLE bench_search_docs AS
SELECT i.library_code AS library, l.kecamatan_code AS kecamatan, t.id AS title_id, t.isbn13, t.language,
       t.category, t.audience, left(t.ddc, 1) || '00' AS ddc_class, t.year,
       bool_or(i.status = 'available') AS on_shelf,
       lower(unaccent(concat_ws(' ', t.title, t.subtitle, array_to_string(t.authors, ' '), t.publisher,
                                t.category))) AS words
FROM catalog.items i JOIN catalog.titles t ON t.id = i.title_id JOIN catalog.libraries l ON l.code = i.library_code
GROUP BY i.library_code, l.kecamatan_code, t.id;
CREATE INDEX bench_search_docs_words ON bench_search_docs USING gin (words gin_trgm_ops);
ANALYZE bench_search_docs;
"""
# Typo tolerance by trigram word similarity (`<%`), ranked by it; filters as plain predicates.
HITS = """
SELECT title_id, library FROM bench_search_docs
WHERE ($1 = '' OR lower(unaccent($1)) <% words) AND ($2::text IS NULL OR library = $2)
ORDER BY word_similarity(lower(unaccent($1)), words) DESC, title_id
LIMIT 20
"""
FACETS = """
SELECT library, kecamatan, language, category, audience, ddc_class, year, on_shelf, count(*)
FROM bench_search_docs
WHERE ($1 = '' OR lower(unaccent($1)) <% words) AND ($2::text IS NULL OR library = $2)
GROUP BY GROUPING SETS ((library), (kecamatan), (language), (category), (audience), (ddc_class), (year), (on_shelf))
"""


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure(pool: asyncpg.Pool, queries: list[dict], rounds: int = 2) -> dict:
    """p50/p95 of hits + facets for each query, over one connection, as the embedded backend answers them."""
    async with pool.acquire() as conn:
        await conn.execute(SETUP)
        await conn.execute("SET pg_trgm.word_similarity_threshold = 0.6")
        times = []
        for round_ in range(rounds + 1):
            for params in queries:
                q, library = params.get("q", ""), params.get("library")
                started = time.perf_counter()
                await conn.fetch(HITS, q, library)
                await conn.fetch(FACETS, q, library)
                if round_:  # the first round warms the caches
                    times.append((time.perf_counter() - started) * 1000)
        await conn.execute("DROP TABLE bench_search_docs")
    return {"p50": round(statistics.median(times), 3), "p95": round(_percentile(times, 95), 3)}
