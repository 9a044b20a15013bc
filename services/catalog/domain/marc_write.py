"""A library's holding of a title as a MARC21 record and as Dublin Core (pure: no I/O).

Holdings: one 852 per copy, `$a` the library's code (the Kemendagri village code), `$b` the library's name,
`$h` the call number, `$p` the copy's barcode. Another system taking the collection over finds each copy
there; our own MARC import counts the 852 fields as copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True, slots=True)
class Copy:
    barcode: str
    call_number: str


@dataclass(frozen=True, slots=True)
class Holding:
    """What one library holds of one title: the title's facts and the copies on its list."""

    library: str
    library_name: str
    isbn13: str | None
    local_code: str | None
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    publisher: str | None
    year: int | None
    language: str | None
    ddc: str | None
    subjects: tuple[str, ...]
    changed: dt.datetime
    copies: tuple[Copy, ...]


def _blank(*indicators: str) -> Indicators:
    return Indicators(*indicators)


def _fixed_field(h: Holding) -> str:
    """008 for books: date entered, single date, place 'io' (Indonesia), language; 40 characters."""
    year = f"{h.year:04d}" if h.year else "    "
    kind = "s" if h.year else "n"
    language = (h.language or "   ")[:3].ljust(3)
    return f"{h.changed:%y%m%d}{kind}{year}    io " + " " * 11 + "000 0 " + f"{language} d"


def to_marc(h: Holding) -> Record:
    # leader/18 'c': ISBD punctuation omitted, so that a reader cuts no final "." of "Jr." or "Inc."
    record = Record(force_utf8=True, leader="00000nam a2200000 c 4500")
    record.add_field(Field("001", data=h.isbn13 or h.local_code or ""))
    record.add_field(Field("005", data=f"{h.changed.astimezone(dt.UTC):%Y%m%d%H%M%S}.0"))
    record.add_field(Field("008", data=_fixed_field(h)))
    if h.isbn13:
        record.add_field(Field("020", _blank(" ", " "), [Subfield("a", h.isbn13)]))
    if h.language:
        record.add_field(Field("041", _blank("0", " "), [Subfield("a", h.language)]))
    if h.ddc:
        record.add_field(Field("082", _blank("0", "4"), [Subfield("a", h.ddc)]))
    if h.authors:
        record.add_field(Field("100", _blank("1", " "), [Subfield("a", h.authors[0])]))
    title = [Subfield("a", h.title)] + ([Subfield("b", h.subtitle)] if h.subtitle else [])
    record.add_field(Field("245", _blank("1" if h.authors else "0", "0"), title))
    imprint = ([Subfield("b", h.publisher)] if h.publisher else []) + ([Subfield("c", str(h.year))] if h.year else [])
    if imprint:
        record.add_field(Field("260", _blank(" ", " "), imprint))
    for subject in h.subjects:
        record.add_field(Field("650", _blank(" ", "4"), [Subfield("a", subject)]))
    for author in h.authors[1:]:
        record.add_field(Field("700", _blank("1", " "), [Subfield("a", author)]))
    for copy in h.copies:
        record.add_field(
            Field(
                "852",
                _blank(" ", " "),
                [
                    Subfield("a", h.library),
                    Subfield("b", h.library_name),
                    Subfield("h", copy.call_number),
                    Subfield("p", copy.barcode),
                ],
            )
        )
    return record


def marcxml(record: Record) -> etree._Element:
    """One MARC21-slim <record> element (namespace declared on it)."""
    root = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS})
    etree.SubElement(root, f"{{{MARC_NS}}}leader").text = str(record.leader)
    for field in record.fields:
        if field.is_control_field():
            etree.SubElement(root, f"{{{MARC_NS}}}controlfield", tag=field.tag).text = field.data
            continue
        data = etree.SubElement(
            root, f"{{{MARC_NS}}}datafield", tag=field.tag, ind1=field.indicator1, ind2=field.indicator2
        )
        for sub in field.subfields:
            etree.SubElement(data, f"{{{MARC_NS}}}subfield", code=sub.code).text = sub.value
    return root


def oai_dc(h: Holding) -> etree._Element:
    """Simple Dublin Core, the 15 elements of oai_dc only."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: str | None) -> None:
        if value:
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = value

    add("title", f"{h.title} : {h.subtitle}" if h.subtitle else h.title)
    for author in h.authors:
        add("creator", author)
    for subject in h.subjects:
        add("subject", subject)
    if h.ddc:
        add("subject", f"DDC {h.ddc}")
    add("publisher", h.publisher)
    add("date", str(h.year) if h.year else None)
    add("type", "Text")
    if h.isbn13:
        add("identifier", f"urn:isbn:{h.isbn13}")
    add("identifier", h.local_code)
    add("language", h.language)
    return root
