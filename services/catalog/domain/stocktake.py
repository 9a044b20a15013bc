"""Stock-taking rules with no I/O: how a scanned barcode counts, and which copies were found away from
their class's neighbours.

Mis-shelving rule (documented in README): scans are read per run (one librarian walking the shelves: the
scans one person sends, or the `run` a scanner file names), in the order they were made, and only this
library's copies count. A copy is *mis-shelved* when it has at least two neighbours within
`WINDOW` positions on either side and none of them shares its main class (hundreds: 300, 800, …), while
at least two of those neighbours share one class with each other. So a novel between books on farming is
flagged, while the boundary between two classes (…630 630 | 800 800…) is not; two misplaced copies side by
side are each other's neighbour and are not flagged (the rule looks for single strays, the common case).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

WINDOW = 2


@dataclass(frozen=True, slots=True)
class ShelfScan:
    barcode: str
    main_class: str
    """The copy's main class from its call number (`800` for `899.221 HIR l`)."""


@dataclass(frozen=True, slots=True)
class Misshelved:
    barcode: str
    main_class: str
    neighbours_class: str
    after: str | None
    before: str | None


def misshelved(run: list[ShelfScan]) -> list[Misshelved]:
    """The strays of one run of scans in shelf order (see the module docstring for the rule)."""
    found = []
    for i, scan in enumerate(run):
        neighbours = run[max(0, i - WINDOW):i] + run[i + 1:i + 1 + WINDOW]
        if len(neighbours) < 2 or any(n.main_class == scan.main_class for n in neighbours):
            continue
        usual, count = Counter(n.main_class for n in neighbours).most_common(1)[0]
        if count >= 2:
            found.append(Misshelved(scan.barcode, scan.main_class, usual,
                                    run[i - 1].barcode if i else None,
                                    run[i + 1].barcode if i + 1 < len(run) else None))
    return found


def scan_kind(*, library: str | None, status: str | None, stocktake_library: str) -> tuple[str, str | None]:
    """How a scanned barcode counts: `accepted`, or `unexpected` with its reason, or `unknown`."""
    if library is None:
        return "unknown", None
    if library != stocktake_library:
        return "unexpected", "other_library"
    if status in ("withdrawn", "lost"):
        return "unexpected", status
    return "accepted", None
