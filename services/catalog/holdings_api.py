"""GET /api/catalog/v1/holdings?library=A&library=B: copies held and titles of many libraries in one answer.

Circulation's statistics take a holdings snapshot of every library of a kabupaten; one request for all of
them replaces four per library (152 for Magetan's 38) on the first dashboard view and every ten minutes."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from services.catalog import holdings as use
from services.catalog.queries.holdings import Holding
from services.catalog.service import Catalogue
from services.catalog.wire import PREFIX


@get(f"{PREFIX}/holdings")
async def holdings(catalogue: Catalogue, library: Annotated[list[str], Parameter(query="library")]) -> list[Holding]:
    return await use.holdings(catalogue, library)


HANDLERS = [holdings]
