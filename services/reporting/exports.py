"""Statistics as files district staff hand on: CSV and XLSX with Indonesian headers, and the IPLM/UPLM
table (one row per library, keyed by its Kemendagri code). Pure: a report in, bytes out."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from services.reporting.views import Report

LABELS = {
    "loans": "Peminjaman",
    "renewals": "Perpanjangan",
    "returns": "Pengembalian",
    "active_borrowers": "Peminjam aktif",
    "new_members": "Anggota baru",
    "members": "Anggota terdaftar",
    "visits": "Kunjungan",
    "member_visits": "Kunjungan anggota",
    "non_member_visits": "Kunjungan non-anggota",
    "reads_onsite": "Baca di tempat",
    "activities": "Kegiatan",
    "activity_participants": "Peserta kegiatan",
    "collection_items": "Jumlah eksemplar",
    "titles_held": "Jumlah judul",
    "turnover": "Perputaran koleksi",
    "titles_used_pct": "Judul pernah dipinjam (%)",
    "overdue_pct": "Terlambat kembali (%)",
    "loans_due": "Pinjaman jatuh tempo",
}
BREAKDOWN_LABELS = {
    "category": "Kategori anggota",
    "gender": "Jenis kelamin",
    "disability": "Disabilitas",
    "ddc_class": "Kelas DDC",
    "audience": "Sasaran pembaca",
    "title_category": "Kategori buku",
    "language": "Bahasa",
    "library": "Perpustakaan",
    "top_titles": "Judul terpopuler",
    "never_borrowed": "Judul belum dipinjam",
}
EXTRA_LABELS = {"rank": "Peringkat", "title": "Judul", "copies": "Eksemplar"}
HEAD = ["Wilayah", "Periode", "Dari", "Sampai", "Kode", "Nama"]
SIMULATED = "Data simulasi"
IPLM_COLUMNS = [
    ("Kode Kemendagri", "code"),
    ("Nama perpustakaan", "name"),
    ("Jenis", "kind"),
    ("Kecamatan", "kecamatan"),
    ("Kabupaten/Kota", "kabupaten"),
    ("Periode dari", "from"),
    ("Periode sampai", "to"),
    ("Jumlah anggota", "members"),
    ("Kunjungan anggota", "member_visits"),
    ("Kunjungan non-anggota", "non_member_visits"),
    ("Jumlah judul", "titles_held"),
    ("Jumlah eksemplar", "collection_items"),
    ("Jumlah peminjaman", "loans"),
    ("Baca di tempat", "reads_onsite"),
    ("Jumlah kegiatan", "activities"),
    ("Peserta kegiatan", "activity_participants"),
]


def _yes(flag: bool) -> str:
    return "ya" if flag else "tidak"


def indicator_rows(report: Report) -> tuple[list[str], list[list]]:
    """One row per period for the scope, and one per library of it when the library breakdown was asked."""
    names = list(LABELS)
    header = HEAD + [LABELS[n] for n in names] + [SIMULATED]
    rows: list[list] = []
    for g in report.groups:
        rows.append(
            [
                report.scope,
                g.period,
                g.from_.isoformat(),
                g.to.isoformat(),
                report.scope.split(":", 1)[1],
                "Semua",
                *(g.indicators.get(n) for n in names),
                _yes(report.simulated),
            ]
        )
        for code, values in g.breakdowns.get("library", {}).items():
            rows.append(
                [
                    report.scope,
                    g.period,
                    g.from_.isoformat(),
                    g.to.isoformat(),
                    code,
                    values.get("name"),
                    *(values.get(n) for n in names),
                    _yes(report.simulated),
                ]
            )
    return header, rows


def breakdown_rows(report: Report, name: str) -> tuple[list[str], list[list]]:
    metrics = sorted({m for g in report.groups for v in g.breakdowns.get(name, {}).values() for m in v})
    header = ["Periode", BREAKDOWN_LABELS[name]] + [LABELS.get(m) or EXTRA_LABELS.get(m, m) for m in metrics]
    rows = [
        [g.period, key, *(values.get(m) for m in metrics)]
        for g in report.groups
        for key, values in g.breakdowns.get(name, {}).items()
    ]
    return header, rows


# A spreadsheet program runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`,
# `=cmd|' /C calc'!A0`); titles and names come from manifests and desks, so they are never trusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_cell(value: object) -> object:
    """A CSV cell Excel reads as text: a leading apostrophe (OWASP's advice) on formula-like text."""
    if value is None:
        return ""
    return f"'{value}" if is_formula_like(value) else value


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a BOM and `;` separators: what Excel in an Indonesian locale opens correctly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _append_as_text(sheet, row: list) -> None:
    """Append a row; openpyxl stores text starting with `=` as a formula unless told it is a string."""
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row):
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def to_xlsx(sheets: list[tuple[str, list[str], list[list]]], notes: list[tuple[str, str]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        _append_as_text(sheet, header)
        for row in rows:
            _append_as_text(sheet, row)
        sheet.freeze_panes = "A2"
    info = book.create_sheet("Keterangan")
    for key, value in notes:
        _append_as_text(info, [key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_xlsx(report: Report) -> bytes:
    sheets = [("Indikator", *indicator_rows(report))]
    for name in report.groups[0].breakdowns if report.groups else []:
        if name != "library":
            sheets.append((f"Rincian {BREAKDOWN_LABELS[name]}", *breakdown_rows(report, name)))
    return to_xlsx(sheets, notes(report))


def notes(report: Report) -> list[tuple[str, str]]:
    return [
        ("Wilayah", report.scope),
        ("Dari", report.from_.isoformat()),
        ("Sampai", report.to.isoformat()),
        ("Pengelompokan", report.group_by),
        (SIMULATED, _yes(report.simulated)),
        ("Catatan", "Tanggal menurut Asia/Jakarta (WIB). Tidak memuat nama, nomor atau kontak anggota."),
    ]


def iplm_rows(report: Report, libraries: dict[str, dict]) -> tuple[list[str], list[list]]:
    """One row per library for the period asked (the report has one group and the library breakdown)."""
    header = [label for label, _ in IPLM_COLUMNS] + [SIMULATED]
    rows = []
    group = report.groups[0]
    for code, values in group.breakdowns["library"].items():
        facts = {**libraries[code], **values, "from": report.from_.isoformat(), "to": report.to.isoformat()}
        rows.append([facts.get(key) for _, key in IPLM_COLUMNS] + [_yes(report.simulated)])
    return header, rows
