"""Stock-taking rules with no I/O: how a scanned barcode counts, and which copies were found away from
their class's neighbours.

Mis-shelving rule (documented in README): scans are read per run (one walk along the shelves: the scans
one librarian sends, or one scanner file), in the order they were made, and only this library's copies
count. Shelves run in call-number order, so the main classes (hundreds: 000, 300, 800, …) of a run should
never go down. A copy is *mis-shelved* when its two neighbours in the run are in order with each other
(left ≤ right) and its own main class does not fit between them (left ≤ own ≤ right fails): a book on law
(300) among computer books (000) is flagged; the first 300 after the last 000, or a single 500 between a 300
and a 600, is not. The first and last scan of a run have one neighbour and are not judged; two strays side
by side are each other's neighbour and only the outer edges are judged (the rule finds single strays, the
common case, and never flags a correctly ordered shelf).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    for left, scan, right in zip(run, run[1:], run[2:]):
        if left.main_class <= right.main_class and not left.main_class <= scan.main_class <= right.main_class:
            found.append(Misshelved(scan.barcode, scan.main_class, left.main_class, left.barcode, right.barcode))
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
