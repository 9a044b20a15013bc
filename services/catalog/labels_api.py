"""Spine and barcode labels for a package's copies, as a PDF on A4 label sheets (3 × 8 labels of 70 × 37 mm,
the common "A4 24" sheet sold in Indonesian stationery shops). Barcodes are Code 128."""

from __future__ import annotations

import asyncio
import io
from typing import Annotated, Literal

import asyncpg
import msgspec
from litestar import Response, get
from litestar.params import Parameter
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kernel.wire import CATALOG_PREFIX
from pustaka.access import Action, Staff
from pustaka.errors import Invalid, NotFound
from pustaka.web import authorise

PREFIX = CATALOG_PREFIX
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
MARGIN_X, MARGIN_Y = (A4[0] - COLUMNS * LABEL_W) / 2, (A4[1] - ROWS * LABEL_H) / 2
MAX_BARCODES = 2000

# Why a constant and not queries.sql: this module is the only reader, and it reads nothing else.
PACKAGE_COPIES = """
SELECT i.barcode, i.call_number, t.title, l.name AS library_name, p.library_code
FROM catalog.packages p
JOIN catalog.libraries l ON l.code = p.library_code
LEFT JOIN catalog.items i ON i.package_id = p.id AND ($2::text[] IS NULL OR i.barcode = ANY($2::text[]))
LEFT JOIN catalog.titles t ON t.id = i.title_id
WHERE p.id = $1
ORDER BY i.call_number, i.barcode
"""


class Label(msgspec.Struct, frozen=True):
    barcode: str
    call_number: str
    title: str
    library_name: str


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """Cut `text` with an ellipsis so it fits `width` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_barcode_label(canvas: Canvas, x: float, y: float, label: Label) -> None:
    inner = LABEL_W - 8 * mm
    canvas.setFont("Helvetica", 7)
    canvas.drawString(x + 4 * mm, y + LABEL_H - 6 * mm, _fit(canvas, label.library_name, "Helvetica", 7, inner))
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(x + 4 * mm, y + LABEL_H - 10 * mm, _fit(canvas, label.title, "Helvetica-Bold", 8, inner))
    code = Code128(label.barcode, barHeight=13 * mm, barWidth=0.36 * mm, humanReadable=False, quiet=False)
    code.drawOn(canvas, x + (LABEL_W - code.width) / 2, y + 9 * mm)
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString(x + LABEL_W / 2, y + 5 * mm, label.barcode)


def _draw_spine_label(canvas: Canvas, x: float, y: float, label: Label) -> None:
    """The call number on three lines (class, author mark, title mark), as shelved books show it."""
    canvas.setFont("Helvetica", 7)
    canvas.drawCentredString(x + LABEL_W / 2, y + LABEL_H - 6 * mm,
                             _fit(canvas, label.library_name, "Helvetica", 7, LABEL_W - 8 * mm))
    canvas.line(x + 6 * mm, y + LABEL_H - 8 * mm, x + LABEL_W - 6 * mm, y + LABEL_H - 8 * mm)
    canvas.setFont("Helvetica-Bold", 15)
    for line, part in enumerate(label.call_number.split()[:3]):
        canvas.drawCentredString(x + LABEL_W / 2, y + LABEL_H - (14 + 6.5 * line) * mm, part)


def render_labels(labels: list[Label], kind: str) -> bytes:
    """The PDF: every spine label, then every barcode label (or only one kind), 24 to an A4 sheet."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle("Label buku — Pustaka Desa")
    drawers = {"spine": [_draw_spine_label], "barcode": [_draw_barcode_label],
               "both": [_draw_spine_label, _draw_barcode_label]}[kind]
    slot = 0
    for draw in drawers:
        for label in labels:
            if slot and slot % (COLUMNS * ROWS) == 0:
                canvas.showPage()
            column, row = slot % COLUMNS, (slot // COLUMNS) % ROWS
            x, y = MARGIN_X + column * LABEL_W, A4[1] - MARGIN_Y - (row + 1) * LABEL_H
            canvas.setLineWidth(0.3)
            draw(canvas, x, y, label)
            slot += 1
        if len(drawers) > 1 and slot % (COLUMNS * ROWS):
            slot += COLUMNS * ROWS - slot % (COLUMNS * ROWS)   # barcodes start on a fresh sheet
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@get(f"{PREFIX}/packages/{{package_id:int}}/labels.pdf")
async def package_labels(
    pool: asyncpg.Pool, staff: Staff, package_id: int,
    kind: Literal["spine", "barcode", "both"] = "both",
    barcodes: Annotated[str | None, Parameter(query="barcodes")] = None,
) -> Response[bytes]:
    """Labels for a package's copies (or only the listed `barcodes`, comma-separated) as an A4 PDF."""
    wanted = [b.strip() for b in barcodes.split(",") if b.strip()] if barcodes else None
    if wanted is not None and len(wanted) > MAX_BARCODES:
        raise Invalid("too_many_barcodes", f"at most {MAX_BARCODES} barcodes at once", field="barcodes")
    async with pool.acquire() as conn:
        rows = await conn.fetch(PACKAGE_COPIES, package_id, wanted)
    if not rows:
        raise NotFound("package_not_found", f"no package has id {package_id}", field="package_id")
    authorise(staff, Action.CATALOGUE, rows[0]["library_code"])
    labels = [Label(r["barcode"], r["call_number"], r["title"], r["library_name"]) for r in rows if r["barcode"]]
    if not labels:
        raise NotFound("no_items", f"package {package_id} has no copies to label", field="barcodes")
    pdf = await asyncio.to_thread(render_labels, labels, kind)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="label-paket-{package_id}.pdf"'})


HANDLERS = [package_labels]
