"""Member cards as a PDF: ID-1 cards (85.6 × 54 mm, the size of a bank card), eight to an A4 page in two
columns of four, with cut marks. Each card carries the member number as Code 128 (what the desk's scanner
reads) and in print, the name, the library and the expiry date. Pure: cards in, PDF bytes out."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128Auto
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BAND = colors.HexColor("#1f5f8b")


@dataclass(frozen=True, slots=True)
class Card:
    member_number: str
    name: str
    library: str
    expires_on: dt.date


def indonesian_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis when it is wider than the space it has."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw(c: Canvas, card: Card, x: float, y: float) -> None:
    pad = 4 * mm
    inner = CARD_W - 2 * pad
    c.setStrokeColor(colors.lightgrey)
    c.setLineWidth(0.3)
    c.roundRect(x, y, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
    c.setFillColor(BAND)
    c.rect(x, y + CARD_H - 11 * mm, CARD_W, 11 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 7.5)
    c.drawString(x + pad, y + CARD_H - 4.8 * mm, "KARTU ANGGOTA PERPUSTAKAAN")
    c.setFont("Helvetica", 7)
    c.drawString(x + pad, y + CARD_H - 8.6 * mm, _fit(card.library, "Helvetica", 7, inner))
    c.setFillColor(colors.black)
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(x + pad, y + CARD_H - 16.5 * mm, _fit(card.name, "Helvetica-Bold", 10.5, inner))
    c.setFont("Helvetica", 7)
    c.drawString(x + pad, y + CARD_H - 20.5 * mm, f"Berlaku s.d. {indonesian_date(card.expires_on)}")
    barcode = Code128Auto(card.member_number, barWidth=0.3 * mm, barHeight=14 * mm, quiet=False)
    scale = min(1.0, inner / barcode.width)  # a long number is narrowed to fit, never cut
    c.saveState()
    c.translate(x + (CARD_W - barcode.width * scale) / 2, y + 8 * mm)
    c.scale(scale, 1)
    barcode.drawOn(c, 0, 0)
    c.restoreState()
    c.setFont("Courier-Bold", 9)
    c.drawCentredString(x + CARD_W / 2, y + 3.6 * mm, card.member_number)


def _cut_marks(c: Canvas, left: float, bottom: float) -> None:
    c.setStrokeColor(colors.grey)
    c.setLineWidth(0.25)
    mark = 3 * mm
    for col in range(COLUMNS + 1):
        x = left + col * CARD_W
        c.line(x, bottom - mark - 1 * mm, x, bottom - 1 * mm)
        c.line(x, bottom + ROWS * CARD_H + 1 * mm, x, bottom + ROWS * CARD_H + mark + 1 * mm)
    for row in range(ROWS + 1):
        y = bottom + row * CARD_H
        c.line(left - mark - 1 * mm, y, left - 1 * mm, y)
        c.line(left + COLUMNS * CARD_W + 1 * mm, y, left + COLUMNS * CARD_W + mark + 1 * mm, y)


def render(cards: list[Card], title: str = "Kartu anggota") -> bytes:
    """One A4 page per eight cards, filled row by row from the top left."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Pustaka Desa")
    page_w, page_h = A4
    left = (page_w - COLUMNS * CARD_W) / 2
    bottom = (page_h - ROWS * CARD_H) / 2
    for start in range(0, max(len(cards), 1), PER_PAGE):
        _cut_marks(c, left, bottom)
        for i, card in enumerate(cards[start : start + PER_PAGE]):
            row, col = divmod(i, COLUMNS)
            _draw(c, card, left + col * CARD_W, bottom + (ROWS - 1 - row) * CARD_H)
        c.showPage()
    c.save()
    return out.getvalue()
