"""MARC21 bibliographic fields -> the row of named values a manifest row has, so that MARC records are
validated, reported and reviewed exactly like spreadsheet rows.

| value     | MARC21 source                                                                       |
|-----------|-------------------------------------------------------------------------------------|
| isbn      | 020 $a: the first valid one; qualifiers such as "(pbk.)" cut                         |
| title     | 245 $a (+ $n $p); a statement of responsibility after " / " in $a is cut             |
| subtitle  | 245 $b (or the part after " : " when $a holds both)                                  |
| authors   | 100/110/700/710 $a                                                                   |
| publisher | 260 $b, else 264 (2nd indicator 1) $b; "[s.n.]" means unknown                        |
| year      | 260/264 $c, else 008/07-10                                                           |
| language  | 041 $a, else 008/35-37                                                               |
| ddc       | 082 $a, else the class number inside 090 $a (INLISLite's call number "YOG 378.18 Pan") |
| subjects  | 650 $a; the first is the category, as in the seed manifests                          |
| copies    | one per holding: 852 fields (our export), else INLISLite's 990/999 inventory numbers |
"""

from __future__ import annotations

import re
import unicodedata

import isbnlib
from pymarc import Record

from services.catalog.domain.marc_read import Repair

_ISBN_TOKEN = re.compile(r"[0-9Xx][0-9Xx\-\s]{6,20}[0-9Xx]|[0-9]{7,13}")
_DDC_IN_TEXT = re.compile(r"(?<![\d.])(\d{3}(?:\.\d+)?)(?![\d])")
_UNKNOWN_PUBLISHER = re.compile(r"^\[?\s*s\.\s*n\.?\s*\]?$", re.IGNORECASE)
_NO_LANGUAGE = {"", "und", "zxx", "mul", "|||", "???", "xxx"}


def _first(record: Record, tags: tuple[str, ...], code: str) -> str:
    for tag in tags:
        for field in record.get_fields(tag):
            for value in field.get_subfields(code):
                if value and value.strip():
                    return value.strip()
    return ""


def _trim(text: str, isbd: bool = True) -> str:
    """Cut ISBD punctuation that MARC leaves around a subfield (` /`, ` :`, `,`, `;`, a final `.` but not the
    one of an abbreviation such as "Jr." or an initial). `isbd` False: the record says it has none (leader/18
    'c', as our own export writes), so nothing is cut."""
    if not isbd:
        return (text or "").strip()
    text = re.sub(r"\s+", " ", text or "").strip()
    text = re.sub(r"[\s/:;,=]+$", "", text)
    text = re.sub(r"^[\s/:;,=]+", "", text)
    if text.endswith(".") and not re.search(r"(?:\b\w{1,3}|\.\.)\.$", text):
        text = text[:-1]
    return text.strip()


def isbn_candidates(record: Record) -> list[str]:
    """Every 020 $a with its qualifier text cut: "0471383147 (paper/cd-rom : alk. paper)" -> "0471383147"."""
    out = []
    for field in record.get_fields("020"):
        for value in field.get_subfields("a"):
            match = _ISBN_TOKEN.search(value or "")
            token = (match[0] if match else (value or "")).strip()
            if token:
                out.append(token)
    return out


def _isbn(record: Record, repairs: list[Repair]) -> str:
    candidates = isbn_candidates(record)
    if not candidates:
        return ""
    for index, candidate in enumerate(candidates):
        digits = re.sub(r"[\s\-]", "", candidate)
        if isbnlib.is_isbn10(digits) or isbnlib.is_isbn13(digits):
            if index:
                repairs.append(
                    Repair(
                        "isbn",
                        candidates[0],
                        "marc_isbn_alternative",
                        f"020 '{candidates[0]}' is not a valid ISBN; the record's next one '{candidate}' was used",
                    )
                )
            return candidate
    return candidates[0]


def _title(record: Record, isbd: bool) -> tuple[str, str]:
    field = next(iter(record.get_fields("245")), None)
    if field is None:
        return "", ""
    main = " ".join(v for v in field.get_subfields("a", "n", "p") if v)
    sub = " ".join(v for v in field.get_subfields("b") if v)
    if isbd:  # INLISLite writes "Judul : anak judul / pengarang" into $a alone
        main, sub = main.split(" / ")[0], sub.split(" / ")[0]
        if not sub and " : " in main:
            main, sub = main.split(" : ", 1)
    return _trim(main, isbd), _trim(sub, isbd)


def _authors(record: Record, isbd: bool) -> list[str]:
    names: list[str] = []
    for tag in ("100", "110", "700", "710"):
        for field in record.get_fields(tag):
            name = _trim(" ".join(field.get_subfields("a")), isbd)
            if name:
                names.append(name.replace(";", ","))
    return names


def _publisher(record: Record, isbd: bool) -> str:
    for field in record.get_fields("260") + [f for f in record.get_fields("264") if f.indicator2 == "1"]:
        for value in field.get_subfields("b"):
            name = _trim(value, isbd)
            if name and not _UNKNOWN_PUBLISHER.match(name):
                return name
    return ""


def _fixed(record: Record) -> str:
    field = next(iter(record.get_fields("008")), None)
    return (field.data or "") if field is not None and field.data else ""


def _year(record: Record) -> str:
    for field in record.get_fields("260") + [f for f in record.get_fields("264") if f.indicator2 == "1"]:
        for value in field.get_subfields("c"):
            if re.search(r"\d{4}", value or ""):
                return _trim(value)
    date1 = _fixed(record)[7:11]
    return date1 if date1.isdigit() and date1 != "9999" else ""


def _checked_year(record: Record, repairs: list[Repair]) -> str:
    from services.catalog.domain.rows import RowError, parse_year

    text = _year(record)
    try:
        parse_year(text)
    except RowError:
        repairs.append(Repair("year", text, "marc_year_unreadable", f"'{text}' is not a year of publication; ignored"))
        return ""
    return text


def _language(record: Record) -> str:
    coded = _first(record, ("041",), "a")[:3].lower()
    if coded and coded not in _NO_LANGUAGE:
        return coded
    fixed = _fixed(record)[35:38].strip().lower()
    return fixed if len(fixed) == 3 and fixed.isalpha() and fixed not in _NO_LANGUAGE else ""


def _ddc(record: Record, repairs: list[Repair]) -> str:
    for tag in ("082", "090"):
        raw = _first(record, (tag,), "a")
        if not raw:
            continue
        match = _DDC_IN_TEXT.search(raw.replace("/", "").replace(",", "."))
        if match:
            return match[1]
        repairs.append(Repair("ddc", raw, "marc_ddc_unreadable", f"{tag} '{raw}' holds no DDC number; ignored"))
    return ""


def _subjects(record: Record, isbd: bool) -> list[str]:
    out: list[str] = []
    for field in record.get_fields("650"):
        subject = _trim(" ".join(field.get_subfields("a")), isbd)
        if subject and subject not in out:
            out.append(subject.replace(";", ","))
    return out


def _copies(record: Record) -> str:
    holdings = len(record.get_fields("852")) or len(record.get_fields("990", "999"))
    return str(holdings) if holdings else ""


def record_values(record: Record, repairs: list[Repair]) -> dict[str, str]:
    """The manifest values of one MARC record (headers as a manifest names them), plus MARC extras."""
    isbd = str(record.leader)[18:19] != "c"
    title, subtitle = _title(record, isbd)
    subjects = _subjects(record, isbd)
    control = next(iter(record.get_fields("001")), None)
    values = {
        "ISBN": _isbn(record, repairs),
        "Title": title,
        "Subtitle": subtitle,
        "Authors": "; ".join(_authors(record, isbd)),
        "Publisher": _publisher(record, isbd),
        "Year": _checked_year(record, repairs),
        "Copies": _copies(record),
        "DDC": _ddc(record, repairs),
        "Category": subjects[0] if subjects else "",
        "Language": _language(record),
        "Subjects": "; ".join(subjects),
        "MARC 001": (control.data or "").strip() if control is not None else "",
        "MARC 020": " | ".join(f.value() for f in record.get_fields("020")),
    }
    return values


def garbled(text: str) -> bool:
    """True when text decoded to mostly combining marks: a record whose leader/09 names the wrong encoding
    (e.g. Windows-1251 bytes read as MARC-8), whose letters are lost."""
    marks = sum(1 for c in text if unicodedata.combining(c))
    return marks > 3 and marks * 2 > sum(1 for c in text if not c.isspace())


HEADERS = [
    "ISBN",
    "Title",
    "Subtitle",
    "Authors",
    "Publisher",
    "Year",
    "Copies",
    "DDC",
    "Category",
    "Language",
    "Subjects",
    "MARC 001",
    "MARC 020",
]


def read_marc_manifest(data: bytes, flavour: str):
    """A MARC file as a Manifest: one row per record, numbered from 1 in file order."""
    from services.catalog.domain.manifest import Manifest, ManifestRow, UnusableManifest, map_headers
    from services.catalog.domain.marc_read import MarcFileError, read_records

    try:
        entries = read_records(data, flavour)
    except MarcFileError as exc:
        raise UnusableManifest(exc.code, exc.message) from None
    if not entries:
        raise UnusableManifest("marc_no_records", "the file holds no MARC record")
    manifest = Manifest(format=flavour, headers=list(HEADERS), fields=map_headers(HEADERS))
    for entry in entries:
        source = {"OAI identifier": entry.source_id} if entry.source_id else {}
        if entry.record is None:
            error = entry.error
            assert error is not None  # a record that could not be read says why
            problem = (error.field, error.value, error.code, error.message)
            manifest.rows.append(ManifestRow(entry.number, {}, {"record": error.value, **source}, problem))
            continue
        repairs = list(entry.repairs)
        raw = record_values(entry.record, repairs)
        if garbled(raw["Title"]):
            problem = (
                "title",
                raw["Title"],
                "marc_encoding_suspect",
                "the title decodes to accents without letters: the record's encoding (leader/09) is wrong",
            )
            manifest.rows.append(ManifestRow(entry.number, {}, {k: v for k, v in raw.items() if v} | source, problem))
            continue
        values = {name: raw[HEADERS[index]] for name, index in manifest.fields.items()}
        manifest.rows.append(ManifestRow(entry.number, values, {k: v for k, v in raw.items() if v} | source))
        manifest.repairs.extend((entry.number, r.field, r.value, r.code, r.message) for r in repairs)
    return manifest
