"""Copies held and titles of many libraries in one answer (for circulation's statistics)."""

from __future__ import annotations

from pustaka.errors import Invalid
from services.catalog.queries import holdings as q
from services.catalog.queries.holdings import Holding
from services.catalog.service import Catalogue

MAX_LIBRARIES = 500


async def holdings(catalogue: Catalogue, libraries: list[str]) -> list[Holding]:
    """Each library asked for (once, by code), with its copies held (not lost or withdrawn) and titles."""
    if len(libraries) > MAX_LIBRARIES:
        raise Invalid("too_many_libraries", f"ask for at most {MAX_LIBRARIES} libraries at once", field="library")
    return await catalogue.read(lambda conn: q.holdings(conn, libraries=sorted(set(libraries))))
