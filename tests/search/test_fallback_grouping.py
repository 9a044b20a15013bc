"""While the engine is away, PostgreSQL answers in the engines' shape: with no library chosen, one hit per
title with the libraries that hold it (the patron's first), and facets that count titles. Checked against
each engine's own grouped answer for the same filters (words are matched differently: trigrams there)."""

from __future__ import annotations

import pytest
from searchdata import BLARAN, SARANGAN, TBM_DADI

from search import fallback
from search.backend import SearchQuery

FILTERS = [
    {},
    {"kecamatan": "35.20.07"},
    {"available": True, "language": "ind"},
    {"available": False},
    {"ddc_class": "800", "near": TBM_DADI},
    {"library": SARANGAN, "available": True},
]


async def every_page(answer, **params) -> tuple[dict, dict[int, list[str]]]:
    """The first page's total and facets, and every title found with its holdings' libraries in order."""
    first = None
    titles: dict[int, list[str]] = {}
    page = 1
    while True:
        result = await answer(SearchQuery(sort="title", page=page, per_page=100, **params))
        first = first or result
        for hit in result.hits:
            title_id = int(hit.id.rsplit("_", 1)[1])
            assert title_id not in titles, "a title appears twice"
            titles[title_id] = [h.library for h in hit.holdings] or [hit.library]
            if hit.holdings:
                assert hit.holdings[0].library == hit.library
                assert (hit.copies, hit.available) == (hit.holdings[0].copies, hit.holdings[0].available)
        if page * 100 >= result.total:
            return {"total": result.total, "facets": result.facets, "degraded": result.degraded}, titles
        page += 1


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
async def test_the_postgresql_answer_groups_titles_as_the_engine_does(backend, search_pool, params):
    engine_summary, engine_titles = await every_page(backend.search, **params)
    summary, titles = await every_page(lambda q: fallback.search(search_pool, q), **params)
    assert summary["degraded"] is True and engine_summary["degraded"] is False
    assert (summary["total"], summary["facets"]) == (engine_summary["total"], engine_summary["facets"])
    assert titles == engine_titles
    assert len(titles) == summary["total"]
    if "library" in params:
        assert all(libraries == [params["library"]] for libraries in titles.values())
    else:
        assert sum(summary["facets"]["available"].values()) == summary["total"]
        assert sum(summary["facets"]["library"].values()) == sum(len(v) for v in titles.values())


async def test_a_title_held_by_three_libraries_is_one_degraded_hit_with_the_patrons_library_first(search_pool):
    async with search_pool.acquire() as conn:
        title_id, isbn13 = await conn.fetchrow(
            "SELECT t.id, t.isbn13 FROM catalog.titles t JOIN catalog.items i ON i.title_id = t.id "
            "WHERE t.isbn13 IS NOT NULL AND i.status NOT IN ('withdrawn', 'lost') "
            "GROUP BY t.id HAVING count(DISTINCT i.library_code) = 3 ORDER BY t.id LIMIT 1"
        )
    for near in (BLARAN, TBM_DADI):
        result = await fallback.search(search_pool, SearchQuery(q=isbn13, near=near))
        assert result.total == 1 and len(result.hits) == 1
        hit = result.hits[0]
        assert hit.id.endswith(f"_{title_id}")
        assert [h.library for h in hit.holdings][0] == near
        assert sorted(h.library for h in hit.holdings) == sorted((TBM_DADI, SARANGAN, BLARAN))
        assert result.facets["library"] == {TBM_DADI: 1, SARANGAN: 1, BLARAN: 1}
