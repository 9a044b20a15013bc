"""Reading a member list (CSV or XLSX, Indonesian or English headers) and checking each row, with the
row-level report style of the manifest ingest: valid rows are imported, rejected rows kept with a reason."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pustaka import tables
from pustaka.errors import AppError, Invalid
from pustaka.tables import TableError, check_size, normalise_header
from services.circulation.domain.members import check_birth_year, parse_gender

MAX_BYTES = 5 * 1024 * 1024
ALIASES = {
    "name": ("nama", "nama lengkap", "nama anggota", "name"),
    "birth_year": ("tahun lahir", "thn lahir", "birth year", "birth_year", "year of birth"),
    "gender": ("jenis kelamin", "jk", "l/p", "gender", "sex"),
    "disability": ("disabilitas", "difabel", "penyandang disabilitas", "disability"),
    "contact": ("kontak", "telepon", "no. hp", "no hp", "hp", "alamat", "contact", "phone"),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_YES = {"ya", "y", "yes", "1", "true", "benar", "v", "x"}
_NO = {"", "tidak", "t", "no", "n", "0", "false", "-"}


@dataclass(frozen=True, slots=True)
class MemberRow:
    row: int
    name: str
    birth_year: int
    gender: str
    disability: bool
    contact: str | None


@dataclass(frozen=True, slots=True)
class RowRejection:
    row: int
    field: str
    value: str
    code: str
    message: str


def read_table(data: bytes) -> list[list[str]]:
    """The cells of the first sheet of an XLSX file, or of a CSV (`,` `;` or tab; UTF-8 or cp1252)."""
    try:
        check_size(data, MAX_BYTES)
        return tables.read_table(data)
    except TableError as exc:
        raise Invalid(exc.code, exc.message, field="file") from None


def map_headers(headers: list[str]) -> dict[str, int]:
    """Field name -> column index, from headers matched case-insensitively; a missing required one refuses
    the whole file."""
    fields: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _LOOKUP.get(normalise_header(header))
        if name and name not in fields:
            fields[name] = index
    missing = [f for f in ("name", "birth_year", "gender") if f not in fields]
    if missing:
        raise Invalid(
            "columns_missing",
            f"the member list needs the columns Nama, Tahun Lahir and Jenis Kelamin; missing: {', '.join(missing)}",
            field="file",
        )
    return fields


def check_row(number: int, values: dict[str, str], today: dt.date) -> MemberRow | RowRejection:
    """A valid member row, or the first reason it cannot be imported."""
    name = re.sub(r"\s+", " ", values.get("name", "")).strip()
    if not name or len(name) > 200:
        return RowRejection(number, "name", name[:200], "name_invalid", "nama (name) must be 1-200 characters")
    year_text = values.get("birth_year", "")
    try:
        year = check_birth_year(int(year_text), today)
        gender = parse_gender(values.get("gender", ""))
    except ValueError:
        return RowRejection(
            number, "birth_year", year_text, "birth_year_invalid", f"tahun lahir '{year_text}' is not a year"
        )
    except AppError as error:
        return RowRejection(number, error.field or "", values.get(error.field or "", ""), error.code, error.detail)
    flag = values.get("disability", "").strip().lower()
    if flag not in _YES | _NO:
        return RowRejection(number, "disability", flag, "disability_invalid", "disabilitas must be ya or tidak")
    contact = values.get("contact", "").strip() or None
    if contact and len(contact) > 200:
        return RowRejection(number, "contact", contact[:200], "contact_too_long", "kontak is over 200 characters")
    return MemberRow(number, name, year, gender, flag in _YES, contact)


def check_list(data: bytes, today: dt.date) -> tuple[list[MemberRow], list[RowRejection], int]:
    """Every data row checked: (valid rows, rejections, rows read). Blank lines are skipped."""
    table = read_table(data)
    fields = map_headers(table[0] if table else [])
    valid: list[MemberRow] = []
    rejected: list[RowRejection] = []
    number = 0
    for cells in table[1:]:
        if not any(cells):
            continue
        number += 1
        outcome = check_row(number, {f: cells[i] if i < len(cells) else "" for f, i in fields.items()}, today)
        if isinstance(outcome, MemberRow):
            valid.append(outcome)
        else:
            rejected.append(outcome)
    return valid, rejected, number
