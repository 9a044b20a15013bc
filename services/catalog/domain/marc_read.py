"""Reading MARC21 files as they really arrive: ISO 2709 (MARC-8 or UTF-8), MARCXML, or a whole OAI-PMH
ListRecords answer such as INLISLite serves.

Each record becomes one `MarcEntry`: the parsed pymarc Record and the repairs made to it, or the reason it
could not be read. One unreadable record never stops the others (pymarc's permissive reader for ISO 2709;
our own lenient walk over the XML, because INLISLite's MARCXML breaks the MARC21-slim schema: no leader,
001/005/008 repeated as data fields with subfield code `$`, `#` as an indicator value).
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass, field

from lxml import etree
from pymarc import Field, Indicators, MARCReader, Record, Subfield

_LEADER_START = re.compile(rb"^\d{5}[\x20-\x7e]{5}[0-9 ]{2}\d{5}")
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
logging.getLogger("pymarc").setLevel(logging.ERROR)  # broken records are reported per row, not logged
DEFAULT_LEADER = "00000nam a2200000 a 4500"


@dataclass(slots=True)
class Repair:
    field: str
    value: str
    code: str
    message: str


@dataclass(slots=True)
class MarcEntry:
    """One record of the file: `record` is None when it could not be read (then `error` says why)."""

    number: int
    record: Record | None
    repairs: list[Repair] = field(default_factory=list)
    error: Repair | None = None
    source_id: str | None = None
    """The OAI-PMH identifier of the record when it came inside an OAI-PMH envelope."""


class MarcFileError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def sniff(data: bytes) -> str | None:
    """The MARC flavour of a file by its content: `iso2709`, `marcxml`, `oai-pmh`, or None (not MARC)."""
    if _LEADER_START.match(data[:24]) and b"\x1e" in data[:100_000]:
        return "iso2709"
    if _XML_START.match(data[:200]):
        head = data[:4096]
        if re.search(rb"<(?:\w+:)?OAI-PMH[\s>]", head):
            return "oai-pmh"
        if re.search(rb"<(?:\w+:)?(?:collection|record)[\s>]", head):
            return "marcxml"
    return None


def read_records(data: bytes, flavour: str) -> list[MarcEntry]:
    if flavour == "iso2709":
        return _read_iso2709(data)
    return _read_xml(data, flavour)


def _read_iso2709(data: bytes) -> list[MarcEntry]:
    reader = MARCReader(
        io.BytesIO(data),
        to_unicode=True,
        force_utf8=False,
        utf8_handling="replace",
        permissive=True,
        hide_utf8_warnings=True,
    )
    entries: list[MarcEntry] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        records = list(_chunks(reader))
    for number, (record, chunk, problem) in enumerate(records, start=1):
        if record is None:
            entries.append(
                MarcEntry(
                    number,
                    None,
                    error=Repair(
                        "record",
                        _preview(chunk),
                        "marc_unreadable",
                        f"record {number} cannot be read as ISO 2709 ({type(problem).__name__}: {problem})",
                    ),
                )
            )
            continue
        entry = MarcEntry(number, record)
        if any("\ufffd" in str(f) for f in record.fields):
            entry.repairs.append(
                Repair(
                    "record",
                    "",
                    "marc_encoding_replaced",
                    "characters that are not valid in the record's encoding were replaced",
                )
            )
        entries.append(entry)
    return entries


def _chunks(reader: MARCReader):
    """(record or None, raw chunk, exception) per record; blank padding at the end of a file is no record."""
    for record in reader:
        chunk = reader.current_chunk or b""
        if record is None and not chunk.strip(b" \r\n\t\x00\x1a"):
            continue
        yield record, chunk, reader.current_exception


def _preview(chunk: bytes | None) -> str:
    return (chunk or b"")[:40].decode("latin-1").replace("\x1e", "|").replace("\x1f", "$")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _read_xml(data: bytes, flavour: str) -> list[MarcEntry]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise MarcFileError("file_format", f"the XML cannot be read: {exc}") from None
    if flavour == "oai-pmh":
        error = next((e for e in root.iter() if _local(e) == "error"), None)
        if error is not None:
            raise MarcFileError(
                "oai_error", f"the OAI-PMH answer is an error: {error.get('code')}: {(error.text or '').strip()}"
            )
        wrappers = [
            e
            for e in root.iter()
            if _local(e) == "record" and etree.QName(e).namespace == "http://www.openarchives.org/OAI/2.0/"
        ]
        items = []
        for wrapper in wrappers:
            header = next((c for c in wrapper if _local(c) == "header"), None)
            if header is not None and header.get("status") == "deleted":
                continue  # a deleted record carries no book
            ident = next((c.text for c in (header if header is not None else []) if _local(c) == "identifier"), None)
            marc = next((e for e in wrapper.iter() if _local(e) == "record" and e is not wrapper), None)
            items.append((marc, ident))
    else:
        items = [(e, None) for e in root.iter() if _local(e) == "record"]
    entries = []
    for number, (element, ident) in enumerate(items, start=1):
        if element is None:
            entries.append(
                MarcEntry(
                    number,
                    None,
                    source_id=ident,
                    error=Repair(
                        "record", ident or "", "marc_no_metadata", "the OAI-PMH record carries no MARC record"
                    ),
                )
            )
            continue
        entries.append(_xml_record(number, element, ident))
    return entries


def _indicator(value: str | None, tag: str, repairs: list[Repair]) -> str:
    value = value if value is not None else " "
    if value in ("#", "\\", "_", "|", ""):
        if not any(r.code == "marc_indicator_blank" for r in repairs):
            repairs.append(
                Repair(tag, value, "marc_indicator_blank", f"indicator '{value}' read as blank (MARC21 uses a space)")
            )
        return " "
    return value[:1]


def _xml_record(number: int, element: etree._Element, ident: str | None) -> MarcEntry:
    """Build a pymarc Record from one MARCXML <record>, repairing what INLISLite and others break."""
    record = Record(leader=DEFAULT_LEADER, force_utf8=True)
    repairs: list[Repair] = []
    leader = next((c for c in element if _local(c) == "leader"), None)
    if leader is not None and leader.text and len(leader.text) == 24:
        record.leader = leader.text
    else:
        repairs.append(
            Repair(
                "leader",
                (leader.text or "") if leader is not None else "",
                "marc_leader_missing",
                "the record has no valid leader; a default book leader was used",
            )
        )
    controls: dict[str, str] = {}
    for child in element:
        name, tag = _local(child), (child.get("tag") or "").strip()
        if name == "controlfield" and _TAG.match(tag):
            if (child.text or "").strip():
                controls.setdefault(tag, child.text)
        elif name == "datafield" and _TAG.match(tag):
            subfields = [Subfield(s.get("code") or " ", s.text or "") for s in child if _local(s) == "subfield"]
            if tag < "010" and tag.isdigit():
                text = next((s.value for s in subfields if s.value.strip()), "")
                if not text:
                    continue
                if tag in controls:
                    repairs.append(
                        Repair(
                            tag,
                            text,
                            "marc_control_repeated",
                            f"control field {tag} was repeated as a data field; the copy was ignored",
                        )
                    )
                else:
                    controls[tag] = text
                    repairs.append(
                        Repair(
                            tag,
                            text,
                            "marc_control_as_data",
                            f"control field {tag} was written as a data field; read as control field",
                        )
                    )
                continue
            inds = Indicators(_indicator(child.get("ind1"), tag, repairs), _indicator(child.get("ind2"), tag, repairs))
            record.add_field(Field(tag, indicators=inds, subfields=subfields))
        elif name == "datafield" or name == "controlfield":
            repairs.append(Repair("tag", tag, "marc_tag_invalid", f"field with tag '{tag}' ignored"))
    for tag in sorted(controls):
        record.add_ordered_field(Field(tag, data=controls[tag]))
    return MarcEntry(number, record, repairs, source_id=ident)
