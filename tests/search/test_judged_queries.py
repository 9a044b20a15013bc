"""The judged queries (tests/search/judged_queries.json), scored on each engine: at least 54 of the 60
queries have a judged title in the first three (success@3 >= 0.9) and the mean nDCG@10 is at least 0.8.

Why these bars: every query was written with its answer in the collection, so a miss is a fault of the
search, not of the data. The slack (six queries) is for patron phrasings that name a word the judged
title lacks: every word of a query must match, so "belajar membaca" does not find "Aku suka membaca"
(the two misses of both engines today, 2026-11-25: success@3 0.967, nDCG@10 0.93). Both engines are
held to the same bar."""

from __future__ import annotations

import json
from pathlib import Path

from search.backend import SearchQuery
from search.judging import ndcg_at, success_at

JUDGED = json.loads((Path(__file__).resolve().parent / "judged_queries.json").read_text(encoding="utf-8"))


async def score(backend) -> tuple[float, float, list[str]]:
    successes, gains, misses = [], [], []
    for judged in JUDGED["queries"]:
        result = await backend.search(SearchQuery(q=judged["q"], per_page=10))
        found = [h.isbn13 for h in result.hits]
        successes.append(success_at(found, judged["relevant"], 3))
        gains.append(ndcg_at(found, judged["relevant"], 10))
        if not successes[-1]:
            misses.append(judged["q"])
    return sum(successes) / len(successes), sum(gains) / len(gains), misses


async def test_the_judged_set_is_large_and_bilingual():
    queries = JUDGED["queries"]
    assert len(queries) >= 50 and len({q["q"] for q in queries}) == len(queries)
    assert {q["language"] for q in queries} == {"id", "en"}
    assert all(q["relevant"] for q in queries)


async def test_the_judged_queries_find_their_titles_first(language_backend):
    success, ndcg, misses = await score(language_backend)
    print(f"{language_backend.name}: success@3 {success:.3f}, nDCG@10 {ndcg:.3f}, misses {misses}")
    assert success >= 0.9, misses
    assert ndcg >= 0.8


def test_scores_are_computed_as_defined():
    assert success_at(["a", "b", "c", "d"], ["d"], 3) == 0.0
    assert success_at(["a", "b", "d"], ["d", "x"], 3) == 1.0
    assert ndcg_at(["x", "y"], ["x", "y"], 10) == 1.0
    assert ndcg_at(["q"], ["x"], 10) == 0.0
    assert round(ndcg_at(["y", "x"], ["x", "y"], 10), 3) == round((1 / 1 + 2 / 1.585) / (2 / 1 + 1 / 1.585), 3)
