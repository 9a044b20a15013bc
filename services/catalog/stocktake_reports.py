"""A stock-take's report as a PDF (reportlab) and an XLSX workbook (openpyxl), in Bahasa Indonesia, dates
in Asia/Jakarta. Text that a spreadsheet would read as a formula (= + - @) is written as text."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.catalog.stocktake import Report

JAKARTA = ZoneInfo("Asia/Jakarta")
REASONS = {
    "other_library": "milik perpustakaan lain",
    "withdrawn": "sudah dikeluarkan (weeding)",
    "lost": "tercatat hilang",
}


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M WIB") if moment else "—"


def sections(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's lists as (sheet title, header, rows), shared by the PDF and the workbook."""
    return [
        ("Hilang", ["Barkode", "No. panggil", "Judul"], [[m.barcode, m.call_number, m.title] for m in report.missing]),
        (
            "Dipinjam",
            ["Barkode", "No. panggil", "Judul"],
            [[m.barcode, m.call_number, m.title] for m in report.on_loan],
        ),
        (
            "Tak terduga",
            ["Barkode", "Alasan", "Perpustakaan", "Judul"],
            [[u.barcode, REASONS.get(u.reason, u.reason), u.library or "", u.title or ""] for u in report.unexpected],
        ),
        ("Tak dikenal", ["Barkode"], [[b] for b in report.unknown]),
        (
            "Salah rak",
            ["Barkode", "No. panggil", "Judul", "Kelas sekitarnya", "Sesudah", "Sebelum"],
            [
                [m.barcode, m.call_number, m.title, m.neighbours_class, m.after or "", m.before or ""]
                for m in report.misshelved
            ],
        ),
        (
            "Per kelas",
            ["Kelas", "Diharapkan", "Terpindai"],
            [[p.main_class, str(p.expected), str(p.scanned)] for p in report.progress],
        ),
    ]


def summary(report: Report) -> list[tuple[str, str]]:
    return [
        ("Stock opname", str(report.id)),
        ("Perpustakaan", report.library),
        ("Status", "selesai" if report.status == "finished" else "berjalan"),
        ("Mulai", _when(report.started_at)),
        ("Selesai", _when(report.finished_at)),
        ("Diharapkan di rak", str(report.expected)),
        ("Dipinjam saat mulai", str(report.expected_on_loan)),
        ("Terpindai", str(report.scanned)),
        ("Ditemukan", str(report.found)),
        ("Ditambahkan selama stock opname", str(len(report.added_during))),
        ("Hilang", str(len(report.missing))),
        ("Ditandai hilang", str(len(report.marked_lost))),
    ]


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    for label, value in summary(report):
        sheet.append([label, value])
    for title, header, rows in sections(report):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    cell.data_type = "s"  # text, never a formula (CSV/formula injection)
                    cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: Report) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Laporan stock opname {report.id}",
    )
    story = [
        Paragraph(f"Laporan stock opname {report.id} — {report.library}", styles["Title"]),
        Table([[k, v] for k, v in summary(report)], colWidths=[70 * mm, 90 * mm]),
        Spacer(1, 6 * mm),
    ]
    for title, header, rows in sections(report):
        story.append(Paragraph(f"{title} ({len(rows)})", styles["Heading2"]))
        if not rows:
            story.append(Paragraph("—", small))
            continue
        table = Table([header] + [[Paragraph(_escape(c), small) for c in row] for row in rows], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTSIZE", (0, 0), (-1, 0), 8),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
