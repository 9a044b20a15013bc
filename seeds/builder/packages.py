"""What goes in each library's package and how the library sends it (format, year, date)."""

from __future__ import annotations

import datetime as dt
import math

from .common import N_YEAR_2024, PACKAGE_SIZE, h, ranked
from .themes import WEIGHT


def copies_for(code: str, key: str) -> int:
    n = h("copies", code, key) % 100
    return 2 if n < 5 else 3 if n < 7 else 1


def build_package(lib: dict, fixed: list[dict], pool: list[dict], no_isbn: list[dict]) -> list[dict]:
    """1000 distinct ISBN-13s (fixed records + a per-library sample of goodbooks) + 3-5 no-ISBN rows."""
    code = lib["code"]
    chosen, seen13, seen_titles = [], set(), set()

    def add(rec) -> None:
        chosen.append(dict(rec, copies=copies_for(code, rec["isbn13"])))
        seen13.add(rec["isbn13"])
        seen_titles.add(rec["title"].strip().casefold())

    for rec in fixed:
        if rec["isbn13"] not in seen13:
            add(rec)
    for rec in weighted(pool, code):
        if len(chosen) == PACKAGE_SIZE:
            break
        if rec["isbn13"] not in seen13 and rec["title"].strip().casefold() not in seen_titles:
            add(rec)
    assert len(chosen) == PACKAGE_SIZE, code
    k = 3 + h("noisbn-n", code) % 3
    for rec in ranked(no_isbn, lambda r: r["id"], "noisbn", code)[:k]:
        chosen.append(dict(rec, copies=copies_for(code, rec["id"])))
    return sorted(chosen, key=lambda r: (r["title"].strip().casefold(), r["isbn13"] or ""))


def weighted(pool: list[dict], code: str) -> list[dict]:
    """The pool in a library's seeded order, books with an audience or a category drawn WEIGHT times as often.

    An exponential race: each book's clock is -ln(1 - u) / weight for its seeded u in (0, 1); earliest first.
    With every weight 1 this is the plain seeded order of `ranked` (ascending u)."""

    def clock(rec: dict) -> tuple[float, str]:
        u = (h("pick", code, rec["isbn13"]) + 0.5) / 2**64
        w = WEIGHT if rec["audience"] or rec["category"] else 1
        return -math.log1p(-u) / w, rec["isbn13"]

    return sorted(pool, key=clock)


def plan_packages(libs: list[dict]) -> list[dict]:
    """Per library: format, ISBN writing style, programme year, received date (all seeded)."""
    order = ranked(libs, lambda lib: lib["code"], "format")
    n = len(order)
    n_cp, n_xl = round(n / 2), round(n / 4)
    year2024 = {lib["code"] for lib in ranked(libs, lambda lib: lib["code"], "year")[:N_YEAR_2024]}
    plans = []
    for i, lib in enumerate(order):
        code = lib["code"]
        fmt = "csv-cp1252" if i < n_cp else "xlsx" if i < n_cp + n_xl else "csv-utf8"
        j = i if fmt == "csv-cp1252" else i - n_cp if fmt == "xlsx" else i - n_cp - n_xl
        year = 2024 if code in year2024 else 2025
        plan = {
            "lib": lib,
            "format": fmt,
            "program_year": year,
            "received_on": received_on(code, year),
            "file": code + (".xlsx" if fmt == "xlsx" else ".csv"),
        }
        if fmt == "xlsx":
            plan["numeric_isbn"] = j % 2 == 0
            plan["title_line"] = j % 5 != 4
            plan["isbn_style"] = "number" if plan["numeric_isbn"] else "padded"
        else:
            plan["isbn_style"] = "raw" if j % 2 == 0 else "padded"
            plan["bom"] = fmt == "csv-utf8" and j % 3 == 0
        plans.append(plan)
    return sorted(plans, key=lambda p: p["lib"]["code"])


def received_on(code: str, year: int) -> dt.date:
    """A working day (Mon-Fri) between March and November of the programme year."""
    start = dt.date(year, 3, 3)
    d = start + dt.timedelta(days=h("received", code) % 270)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d
