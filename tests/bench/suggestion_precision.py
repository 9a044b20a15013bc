"""How often the class suggestion is right, on the seed titles whose class is known (INLISLite and SLiMS
records; the goodbooks rows carry no class). The suggester never sees the known class: it reads the title,
the category (the record's first subject heading) and the language, as it does for an unclassified title.

    .venv/bin/python tests/bench/suggestion_precision.py [--json]

Precision = right suggestions ÷ suggestions made; coverage = suggestions made ÷ titles with a known class.
"Right" at three depths: the main class (hundreds, what the dashboard's breakdown and the shelf sections
use), the division (tens) and the section (the three digits).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from services.catalog.domain.manifest import read_manifest  # noqa: E402
from services.catalog.domain.rows import validate_row  # noqa: E402
from services.catalog.suggestions import suggestion_for  # noqa: E402


@dataclass(frozen=True)
class Known:
    title: str
    category: str | None
    language: str | None
    ddc: str


def known_titles() -> list[Known]:
    """Every distinct seed title with a class (rows without ISBN included: they carry a class too)."""
    found: dict[str, Known] = {}
    for path in sorted((ROOT / "seeds" / "packages").glob("*.*")):
        if path.suffix not in (".csv", ".xlsx") or path.stem == "index":
            continue
        for row in read_manifest(path.read_bytes(), path.name).rows:
            book = validate_row(row, allow_missing_isbn=True)
            if getattr(book, "ddc", None):
                found.setdefault(book.title.lower(), Known(book.title, book.category, book.language, book.ddc))
    return sorted(found.values(), key=lambda k: k.title)


def measure() -> dict:
    titles = known_titles()
    made = right = {"main_class": 0, "division": 0, "section": 0}
    made, right = 0, dict(right)
    rows = []
    for k in titles:
        hint = suggestion_for(title=k.title, subjects=[], category=k.category, language=k.language)
        rows.append({"title": k.title, "known": k.ddc, "suggested": hint.ddc if hint else None})
        if hint is None:
            continue
        made += 1
        for depth, digits in (("main_class", 1), ("division", 2), ("section", 3)):
            right[depth] += hint.ddc[:digits] == k.ddc[:digits]
    return {
        "titles_with_class": len(titles),
        "suggested": made,
        "coverage": round(made / len(titles), 3),
        "precision": {d: round(n / made, 3) for d, n in right.items()},
        "titles": rows,
    }


if __name__ == "__main__":
    result = measure()
    if "--json" in sys.argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for r in result["titles"]:
            print(f"{r['known']:>16} {r['suggested'] or '-':>10}  {r['title'][:90]}")
        print({k: v for k, v in result.items() if k != "titles"})
