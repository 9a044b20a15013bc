"""Spine and barcode labels for a package's copies, as a PDF on A4 label sheets (see `labels.py`)."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.params import Parameter

from pustaka.access import Staff
from services.catalog import labels
from services.catalog.labels import Kind
from services.catalog.service import Catalogue
from services.catalog.wire import PREFIX


@get(f"{PREFIX}/packages/{{package_id:int}}/labels.pdf")
async def package_labels(
    catalogue: Catalogue,
    staff: Staff,
    package_id: int,
    kind: Kind = "both",
    barcodes: Annotated[str | None, Parameter(query="barcodes")] = None,
) -> Response[bytes]:
    """Labels for a package's copies (or only the listed `barcodes`, comma-separated) as an A4 PDF."""
    wanted = [b.strip() for b in barcodes.split(",") if b.strip()] if barcodes else None
    pdf = await labels.package_labels(catalogue, staff, package_id, kind, wanted)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="label-paket-{package_id}.pdf"'},
    )


HANDLERS = [package_labels]
