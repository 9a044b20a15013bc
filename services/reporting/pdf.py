"""The monthly PDF report of a library or a kabupaten (reportlab): the month's indicators, a daily chart
of loans and visits, loans by member category, and for a kabupaten every library side by side. Pure:
reports in, bytes out. Indonesian labels; a simulated history is stamped DATA SIMULASI on every page."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.reporting.exports import LABELS
from services.reporting.views import Report

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
SUMMARY = (
    "loans",
    "returns",
    "renewals",
    "active_borrowers",
    "new_members",
    "members",
    "visits",
    "member_visits",
    "non_member_visits",
    "reads_onsite",
    "activities",
    "activity_participants",
    "collection_items",
    "titles_held",
    "turnover",
    "titles_used_pct",
    "overdue_pct",
)
_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
)


def _value(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{v:,}".replace(",", ".")


def _daily_chart(daily: Report) -> Drawing:
    drawing = Drawing(17 * cm, 6 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.2 * cm, 1 * cm, 15 * cm, 4.3 * cm
    chart.data = [
        [g.indicators["loans"] or 0 for g in daily.groups],
        [g.indicators["visits"] or 0 for g in daily.groups],
    ]
    chart.categoryAxis.categoryNames = [g.period[-2:] for g in daily.groups]
    chart.categoryAxis.labels.fontSize = 5
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor, chart.bars[1].fillColor = colors.HexColor("#2b6cb0"), colors.HexColor("#ed8936")
    drawing.add(chart)
    drawing.add(String(1.2 * cm, 5.6 * cm, "Peminjaman (biru) dan kunjungan (jingga) per hari", fontSize=8))
    return drawing


def _category_chart(month: Report) -> Drawing | None:
    split = month.groups[0].breakdowns.get("category") or {}
    if not split:
        return None
    drawing = Drawing(17 * cm, 5 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.2 * cm, 1 * cm, 8 * cm, 3.3 * cm
    chart.data = [[v.get("loans") or 0 for v in split.values()]]
    chart.categoryAxis.categoryNames = list(split)
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#38a169")
    drawing.add(chart)
    drawing.add(String(1.2 * cm, 4.6 * cm, "Peminjaman menurut kategori anggota", fontSize=8))
    return drawing


def monthly_pdf(*, title: str, month: Report, daily: Report, libraries: dict[str, str] | None = None) -> bytes:
    """`month`: the month as one group (breakdowns category, and library for a kabupaten); `daily`: per day."""
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    simulated = month.simulated or daily.simulated

    def stamp(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(1.5 * cm, 1 * cm, f"Pustaka Desa · {month.scope} · halaman {doc.page}")
        if simulated:
            canvas.setFont("Helvetica-Bold", 40)
            canvas.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.25))
            canvas.translate(10.5 * cm, 14 * cm)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "DATA SIMULASI")
        canvas.restoreState()

    start = month.from_
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            f"Laporan bulan {MONTHS[start.month - 1]} {start.year} ({month.from_} s.d. {month.to}, WIB)",
            styles["Normal"],
        ),
    ]
    if simulated:
        story.append(Paragraph("<b>Data simulasi</b>: bukan kegiatan perpustakaan yang sebenarnya.", styles["Normal"]))
    story.append(Spacer(1, 0.4 * cm))
    values = month.groups[0].indicators
    story.append(
        Table(
            [["Indikator", "Nilai"]] + [[LABELS[k], _value(values.get(k))] for k in SUMMARY],
            colWidths=[8 * cm, 4 * cm],
            style=_GRID,
        )
    )
    story += [Spacer(1, 0.4 * cm), _daily_chart(daily)]
    chart = _category_chart(month)
    if chart is not None:
        story.append(chart)
    per_library = month.groups[0].breakdowns.get("library")
    if per_library:
        story += [Spacer(1, 0.3 * cm), Paragraph("Perpustakaan", styles["Heading2"])]
        rows = [["Kode", "Nama", "Pinjam", "Kunjungan", "Anggota", "Baca di tempat", "Peserta"]]
        for code, v in per_library.items():
            rows.append(
                [
                    code,
                    str((libraries or {}).get(code, v.get("name", "")))[:38],
                    _value(v["loans"]),
                    _value(v["visits"]),
                    _value(v["members"]),
                    _value(v["reads_onsite"]),
                    _value(v["activity_participants"]),
                ]
            )
        story.append(
            Table(
                rows,
                repeatRows=1,
                style=_GRID,
                colWidths=[3.2 * cm, 6 * cm, 1.5 * cm, 1.8 * cm, 1.6 * cm, 2 * cm, 1.5 * cm],
            )
        )
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    ).build(story, onFirstPage=stamp, onLaterPages=stamp)
    return out.getvalue()
