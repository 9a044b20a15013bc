"""Grouped answers (pure): with no library chosen, one hit per title with the libraries that hold it.

Both engines find documents (one per title held by a library); these rules, shared by both, turn the
documents of one title into one hit and count the facets of titles rather than of documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from msgspec.structs import replace

from search.backend import FACETS, Hit, Holding

MAX_LIBRARIES = 100
"""Libraries one title may be held by, at most, in one grouped answer (a kabupaten has about 40)."""


def holding_order(library: str, available: int, near: str | None) -> tuple[bool, bool, str]:
    """The patron's library first, then libraries with a copy on the shelf, then by library code."""
    return (library != near, available <= 0, library)


def grouped_hit(hits: Sequence[Hit], near: str | None, highlight: dict[str, str] | None = None) -> Hit:
    """One hit for a title from its documents' hits: the first holding's library, copies and shelf, and
    every holding in order."""
    ordered = sorted(hits, key=lambda h: holding_order(h.library, h.available, near))
    first = ordered[0]
    holdings = [
        Holding(library=h.library, name=h.library_name, copies=h.copies, available=h.available) for h in ordered
    ]
    return replace(first, holdings=holdings, highlight=first.highlight if highlight is None else highlight)


class FacetCounter:
    """Counts grouped facets: title facets once per title, libraries once per holding."""

    def __init__(self) -> None:
        self.titles: dict[str, Counter] = {name: Counter() for name in FACETS}

    def add_title(self, row: tuple[str | None, ...], libraries: Iterable[str], on_shelf: bool) -> None:
        """`row` is search.tantivy_index.facet_row of any of the title's documents."""
        _, _, language, audience, category, ddc_class, year = row
        for name, value in (
            ("language", language),
            ("audience", audience),
            ("category", category),
            ("ddc_class", ddc_class),
            ("year", year),
        ):
            if value is not None:
                self.titles[name][value] += 1
        for library in libraries:
            self.titles["library"][library] += 1
            self.titles["kecamatan"][library[:8]] += 1
        self.titles["available"]["true" if on_shelf else "false"] += 1

    def facets(self) -> dict[str, dict[str, int]]:
        return {name: dict(sorted(counts.items())) for name, counts in self.titles.items()}
