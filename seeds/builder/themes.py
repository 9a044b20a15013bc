"""What Perpusnas sends most (children's and teenagers' books; religion, health, cookery, farming, skills,
reference), read from goodbooks-10k's Goodreads shelf tags: the rules that turn tags into Sasaran (audience)
and Kategori (category), and the weight that makes such books likelier in a package.

A book gets a value when the tags of that value hold at least THRESHOLD of all its tag counts (Goodreads
readers shelve Harry Potter as "young-adult" and as "children": the larger share wins). Tags about the
reader's memories (`childhood-favorites`, `read-as-a-kid`) and fiction shelves (`christian-fiction`,
`mental-health` novels) are left out on purpose.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

THRESHOLD = 0.02
WEIGHT = 4  # a themed book is this many times likelier to be drawn into a package
AUDIENCE = {
    "anak": re.compile(
        r"^(children|childrens|children-s|kids?|kid-s|kid-lit|juvenile|middle-grades?|picture-books?)(-|$)"
    ),
    "remaja": re.compile(r"^(young-adult|ya|teens?)(-|$)"),
}
CATEGORY = {
    "Agama": {
        "religion",
        "religious",
        "christian",
        "christianity",
        "christian-living",
        "spirituality",
        "spiritual",
        "faith",
        "theology",
        "bible",
        "islam",
        "buddhism",
    },
    "Kesehatan": {"health", "nutrition", "fitness", "diet", "medicine", "medical"},
    "Masakan": {"cooking", "cookbooks", "cookbook", "recipes"},  # not "food": novels about restaurants
    "Pertanian dan berkebun": {"gardening", "farming", "agriculture", "garden"},
    "Keterampilan dan pengembangan diri": {
        "self-help",
        "self-improvement",
        "how-to",
        "personal-development",
        "productivity",
        "diy",
        "crafts",
    },
    "Referensi": {"reference", "dictionary", "dictionaries", "encyclopedia"},
}
SOURCE = Path(__file__).resolve().parent.parent / "sources/goodbooks-10k/theme_tags.csv"


def is_theme_tag(tag: str) -> bool:
    return any(rx.search(tag) for rx in AUDIENCE.values()) or any(tag in names for names in CATEGORY.values())


def strongest(shares: dict[str, float]) -> str:
    """The value whose tags hold the largest share, if it reaches THRESHOLD; '' otherwise."""
    best = max(sorted(shares), key=lambda k: shares[k], default="")
    return best if best and shares[best] >= THRESHOLD else ""


def load_themes(path: Path = SOURCE) -> dict[str, dict]:
    """goodbooks book_id -> {"audience", "category"} for every book whose tags are known (values may be '')."""
    totals: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            totals[r["book_id"]] = int(r["tags_total"])
            if r["tag"]:
                counts[r["book_id"]][r["tag"]] = int(r["count"])
    themes = {}
    for book_id, total in totals.items():
        tags = counts[book_id]
        themes[book_id] = {
            "audience": strongest({k: share(tags, total, rx.search) for k, rx in AUDIENCE.items()}),
            "category": strongest({k: share(tags, total, names.__contains__) for k, names in CATEGORY.items()}),
        }
    return themes


def share(tags: dict[str, int], total: int, match) -> float:
    """The share of a book's tag counts held by the tags that `match`."""
    return sum(n for tag, n in tags.items() if match(tag)) / total
