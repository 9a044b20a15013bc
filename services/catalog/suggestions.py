"""The classification list: a library's titles without a class, each with a suggested class from the
mapping kept as data in `data/ddc_suggestions.tsv` (read once)."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import msgspec

from services.catalog import views
from services.catalog.domain.classify import Mapping, parse_mappings, suggest
from services.catalog.queries import care
from services.catalog.service import Catalogue

MAPPING_FILE = Path(__file__).with_name("data") / "ddc_suggestions.tsv"
MAPPINGS: list[Mapping] = parse_mappings(MAPPING_FILE.read_text(encoding="utf-8"))


class Unclassified(msgspec.Struct):
    isbn13: str | None
    local_code: str | None
    isbn: str | None
    title: str
    subtitle: str | None
    authors: list[str]
    language: str | None
    category: str | None
    subjects: list[str]
    copies: int
    call_number: str
    suggested_ddc: str | None
    suggested_because: str | None


class UnclassifiedPage(msgspec.Struct):
    titles: list[Unclassified]
    total: int
    page: int
    per_page: int


def suggestion_for(*, title: str, subjects: list[str], category: str | None, language: str | None):
    return suggest(MAPPINGS, title=title, subjects=subjects, category=category, language=language)


async def unclassified(catalogue: Catalogue, library: str, page: int, per_page: int) -> UnclassifiedPage:
    """The library's titles without a class, each with a suggested class to confirm."""
    return await catalogue.read(lambda conn: _unclassified(conn, library, page, per_page))


async def _unclassified(conn: asyncpg.Connection, library: str, page: int, per_page: int) -> UnclassifiedPage:
    await views.library(conn, library)
    rows = await care.unclassified_titles(conn, library=library, limit=per_page, offset=(page - 1) * per_page)
    titles = []
    for r in rows:
        hint = suggestion_for(title=r.title, subjects=r.subjects, category=r.category, language=r.language)
        titles.append(
            Unclassified(
                r.isbn13,
                r.local_code,
                r.isbn_display,
                r.title,
                r.subtitle,
                r.authors,
                r.language,
                r.category,
                r.subjects,
                r.copies,
                r.call_number,
                hint.ddc if hint else None,
                hint.because if hint else None,
            )
        )
    return UnclassifiedPage(titles, rows[0].total if rows else 0, page, per_page)
