"""Spine and barcode labels as a PDF on A4 label sheets (3 × 8 labels of 70 × 37 mm, the common "A4 24"
sheet sold in Indonesian stationery shops). Barcodes are Code 128. Pure: labels in, PDF bytes out."""

from __future__ import annotations

import io

import msgspec
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70 * mm, 37 * mm
MARGIN_X, MARGIN_Y = (A4[0] - COLUMNS * LABEL_W) / 2, (A4[1] - ROWS * LABEL_H) / 2


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
    canvas.drawCentredString(
        x + LABEL_W / 2, y + LABEL_H - 6 * mm, _fit(canvas, label.library_name, "Helvetica", 7, LABEL_W - 8 * mm)
    )
    canvas.line(x + 6 * mm, y + LABEL_H - 8 * mm, x + LABEL_W - 6 * mm, y + LABEL_H - 8 * mm)
    canvas.setFont("Helvetica-Bold", 15)
    for line, part in enumerate(label.call_number.split()[:3]):
        canvas.drawCentredString(x + LABEL_W / 2, y + LABEL_H - (14 + 6.5 * line) * mm, part)


def render_labels(labels: list[Label], kind: str) -> bytes:
    """The PDF: every spine label, then every barcode label (or only one kind), 24 to an A4 sheet."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle("Label buku — Pustaka Desa")
    drawers = {
        "spine": [_draw_spine_label],
        "barcode": [_draw_barcode_label],
        "both": [_draw_spine_label, _draw_barcode_label],
    }[kind]
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
            slot += COLUMNS * ROWS - slot % (COLUMNS * ROWS)  # barcodes start on a fresh sheet
    canvas.showPage()
    canvas.save()
    return out.getvalue()
