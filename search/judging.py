"""How well a search engine ranks (pure): success@k and nDCG@k of judged queries (tests/search/judged_queries.json)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def success_at(found: Sequence[str], relevant: Sequence[str], k: int = 3) -> float:
    """1.0 when the title judged best, or any judged title, is among the first k found; else 0.0."""
    return 1.0 if set(found[:k]) & set(relevant) else 0.0


def ndcg_at(found: Sequence[str], relevant: Sequence[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain: judged titles are graded by their order (the first judged
    gets the highest grade), so the best title first scores 1.0 and a miss scores 0.0."""
    grades = {isbn: len(relevant) - i for i, isbn in enumerate(relevant)}
    gain = sum(grades.get(isbn, 0) / math.log2(rank + 2) for rank, isbn in enumerate(found[:k]))
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(sorted(grades.values(), reverse=True)[:k]))
    return gain / ideal if ideal else 0.0
