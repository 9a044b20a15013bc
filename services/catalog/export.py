"""Export a library's catalogue with its holdings: MARCXML, ISO 2709 (UTF-8) or Dublin Core.

What another system (SLiMS, INLISLite, Koha) needs to take a collection over: one record per title the
library holds, one 852 per copy (see `domain/marc_write.py`). Dublin Core has no place for copies: it
carries the titles only.
"""

from __future__ import annotations

import asyncpg
from lxml import etree

from pustaka.errors import Invalid, NotFound
from services.catalog.domain.marc_write import MARC_NS, MARC_SCHEMA, XSI, Holding, marcxml, oai_dc, to_marc
from services.catalog.oai import copies_of, holding
from services.catalog.queries import catalogue as q
from services.catalog.queries import oai
from services.catalog.service import Catalogue

FORMATS = {"marcxml": "application/marcxml+xml", "iso2709": "application/marc", "dc": "application/xml"}


async def export_library(catalogue: Catalogue, library: str, fmt: str) -> bytes:
    """The whole catalogue of one library in one format, read in one snapshot."""
    if fmt not in FORMATS:
        raise Invalid("format_invalid", f"format '{fmt}' must be one of {', '.join(FORMATS)}", field="format")
    holdings = await catalogue.snapshot(lambda conn: _holdings(conn, library))
    if fmt == "iso2709":
        return b"".join(to_marc(h).as_marc() for h in holdings)
    if fmt == "marcxml":
        root = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", f"{MARC_NS} {MARC_SCHEMA}")
        root.extend(marcxml(to_marc(h)) for h in holdings)
    else:
        root = etree.Element("records")
        root.extend(oai_dc(h) for h in holdings)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


async def _holdings(conn: asyncpg.Connection, library: str) -> list[Holding]:
    if await q.library(conn, code=library) is None:
        raise NotFound("library_not_found", f"no library has the code '{library}'", field="library")
    rows = await oai.library_holdings(conn, library=library)
    copies = await copies_of(conn, rows)
    return [holding(r, copies.get((r.library_code, r.title_id), [])) for r in rows]
