"""Labels to print: every copy of a package (or some of them) when it arrives, or chosen copies again after
their call numbers changed. The sheet itself is drawn by `domain/label_sheet.py`."""

from __future__ import annotations

import asyncio
from typing import Literal

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Invalid, NotFound
from services.catalog.domain.label_sheet import Label, render_labels
from services.catalog.queries import labels as q
from services.catalog.service import Catalogue

MAX_BARCODES = 2000
Kind = Literal["spine", "barcode", "both"]


async def package_labels(
    catalogue: Catalogue, staff: Staff, package_id: int, kind: Kind, barcodes: list[str] | None
) -> bytes:
    """Labels for a package's copies (or only `barcodes`) as an A4 PDF."""
    if barcodes is not None and len(barcodes) > MAX_BARCODES:
        raise Invalid("too_many_barcodes", f"at most {MAX_BARCODES} barcodes at once", field="barcodes")
    rows = await catalogue.read(lambda conn: q.package_copies(conn, package_id=package_id, barcodes=barcodes))
    if not rows:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    authorise(staff, Action.CATALOGUE, rows[0].library_code)
    labels = [Label(r.barcode, r.call_number or "", r.title or "", r.library_name) for r in rows if r.barcode]
    if not labels:
        raise NotFound("no_items", f"package {package_id} has no copies to label", field="barcodes")
    return await asyncio.to_thread(render_labels, labels, kind)


async def reprint_labels(catalogue: Catalogue, staff: Staff, library: str, barcodes: list[str], kind: Kind) -> bytes:
    """Labels of chosen copies of one library, e.g. after their call number changed."""
    authorise(staff, Action.CATALOGUE, library)
    if not barcodes or len(barcodes) > MAX_BARCODES:
        raise Invalid("barcodes_invalid", f"give 1 to {MAX_BARCODES} barcodes", field="barcodes")
    rows = await catalogue.read(lambda conn: q.library_copies(conn, library=library, barcodes=barcodes))
    if not rows:
        raise NotFound("no_items", f"none of these barcodes is a copy of {library}", field="barcodes")
    labels = [Label(r.barcode, r.call_number, r.title, r.library_name) for r in rows]
    return await asyncio.to_thread(render_labels, labels, kind)
