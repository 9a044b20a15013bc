"""The language, audience and category mix of the packages, as the README reports it (measured on the rows
with an ISBN, the ones the ingest accepts)."""

from __future__ import annotations

from collections import Counter

MEASURES = [
    ("Bahasa `ind`", lambda r: r["language"] == "ind"),
    ("Bahasa `eng`", lambda r: r["language"] == "eng"),
    ("other languages", lambda r: r["language"] not in ("ind", "eng", "")),
    ("no language", lambda r: r["language"] == ""),
    ("Sasaran `anak` (children)", lambda r: r["audience"] == "anak"),
    ("Sasaran `remaja` (teenagers)", lambda r: r["audience"] == "remaja"),
    ("no Sasaran", lambda r: r["audience"] == ""),
    ("with a Kategori", lambda r: r["category"] != ""),
]


def measure(packages: list[list[dict]]) -> dict[str, tuple[int, int, int]]:
    """Per measure: (fewest in a package, most in a package, titles in all packages together)."""
    union = {r["isbn13"]: r for rows in packages for r in rows if r["isbn13"]}
    out = {}
    for name, test in MEASURES:
        per = [sum(1 for r in rows if r["isbn13"] and test(r)) for rows in packages]
        out[name] = (min(per), max(per), sum(1 for r in union.values() if test(r)))
    return out


def mix_table(packages: list[list[dict]]) -> str:
    rows = ["| ISBN rows | per package (fewest–most) | all packages (distinct titles) |", "|---|---|---|"]
    for name, (low, high, total) in measure(packages).items():
        rows.append(f"| {name} | {low}–{high} | {total:,} |")
    return "\n".join(rows)


def category_counts(packages: list[list[dict]]) -> Counter:
    """Kategori values of the goodbooks titles over all packages (distinct titles)."""
    union = {r["isbn13"]: r for rows in packages for r in rows if r["isbn13"] and r["source"] == "goodbooks"}
    return Counter(r["category"] for r in union.values() if r["category"])
