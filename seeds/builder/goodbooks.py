"""goodbooks-10k rows (English-language Goodreads metadata, 2017) as book records; Sasaran and Kategori from
the books' Goodreads tags where they are known (themes.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from .values import isbn13_of, year_of

GOODBOOKS_LANG = {"en-US": "eng", "en-GB": "eng", "en-CA": "eng", "en": "eng", "nl": "dut"}


def load_goodbooks(shared: Path, themes: dict[str, dict]) -> list[dict]:
    out = []
    path = shared / "data/books/goodbooks-10k/books_1-9000.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lang = r["language_code"].strip()
            theme = themes.get(r["book_id"], {"audience": "", "category": ""})
            out.append(
                {
                    "source": "goodbooks",
                    "id": "goodbooks:" + r["book_id"],
                    "isbn": r["isbn"].strip(),
                    "isbn13": isbn13_of(r["isbn"]) if r["isbn"].strip() else None,
                    "title": r["title"],
                    "authors": r["authors"],
                    "publisher": "",
                    "year": year_of(r["original_publication_year"]),
                    "ddc": "",
                    "category": theme["category"],
                    "language": GOODBOOKS_LANG.get(lang, lang),
                    "audience": theme["audience"],
                    "tagged": r["book_id"] in themes,
                }
            )
    return out
