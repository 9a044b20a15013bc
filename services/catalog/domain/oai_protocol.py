"""OAI-PMH 2.0 rules with no I/O: which arguments each verb takes, dates, sets, resumption tokens, and the
XML envelope. (Protocol: http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm)

A resumption token carries the whole harvest: format, set, `from`, the upper time bound frozen at the
first request, and the keyset position (datestamp, id) of the last record sent. A record changed during a
harvest gets a datestamp after the frozen bound, so it is neither sent twice nor shifts the pages; the
next incremental harvest (from = this harvest's first responseDate) brings its new state.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass

import msgspec
from lxml import etree

from kernel.ddc import CLASSES
from kernel.libraries import KECAMATAN_CODE, LIBRARY_CODE

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", "http://www.loc.gov/MARC21/slim"),
}
VERBS: dict[str, tuple[set[str], set[str]]] = {  # verb -> (required, optional) arguments
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class SetFilter:
    library: str | None = None
    kecamatan: str | None = None
    ddc_like: str | None = None
    """A LIKE pattern on the title's DDC number: '6%' for ddc:600, '%' for any class."""


class Token(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    prefix: str
    set: str | None
    since: int | None
    """`from` as microseconds since the epoch (inclusive)."""
    before: int
    """The upper bound, exclusive, frozen at the first request."""
    last_stamp: int
    last_id: int
    cursor: int
    size: int


_ENCODE = msgspec.msgpack.Encoder()
_DECODE = msgspec.msgpack.Decoder(Token)


def encode_token(token: Token) -> str:
    return base64.urlsafe_b64encode(_ENCODE.encode(token)).decode().rstrip("=")


def decode_token(text: str) -> Token:
    try:
        token = _DECODE.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, msgspec.DecodeError):
        raise OaiError(
            "badResumptionToken", f"the resumptionToken '{text[:60]}' is not one this repository issued"
        ) from None
    try:
        parse_set(token.set)
    except OaiError:
        raise OaiError("badResumptionToken", "the resumptionToken is not one this repository issued") from None
    if token.prefix not in FORMATS or token.cursor < 0 or token.size < token.cursor:
        raise OaiError("badResumptionToken", "the resumptionToken is not one this repository issued")
    return token


def micros(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def from_micros(value: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=value)


def stamp(moment: dt.datetime) -> str:
    """An OAI datestamp at second granularity, UTC."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(name: str, text: str) -> tuple[dt.datetime, str]:
    """(moment, granularity) of a `from`/`until` argument; badArgument if it is neither form."""
    try:
        if _SECOND.match(text):
            return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC), "second"
        if _DAY.match(text):
            return dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.UTC), "day"
    except ValueError:
        pass
    raise OaiError("badArgument", f"{name}='{text}' is not a date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")


def parse_range(since: str | None, until: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`from` (inclusive) and the exclusive upper bound that `until` (inclusive) means."""
    start = end = None
    grains = set()
    if since is not None:
        start, grain = parse_date("from", since)
        grains.add(grain)
    if until is not None:
        moment, grain = parse_date("until", until)
        grains.add(grain)
        end = moment + (dt.timedelta(days=1) if grain == "day" else dt.timedelta(seconds=1))
    if len(grains) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until")
    return start, end


def parse_set(spec: str | None) -> SetFilter:
    if spec is None or spec in ("library", "kecamatan"):
        return SetFilter()
    if spec == "ddc":
        return SetFilter(ddc_like="%")
    kind, _, value = spec.partition(":")
    if kind == "library" and LIBRARY_CODE.match(value):
        return SetFilter(library=value)
    if kind == "kecamatan" and KECAMATAN_CODE.match(value):
        return SetFilter(kecamatan=value)
    if kind == "ddc" and value in CLASSES:
        return SetFilter(ddc_like=value[0] + "%")
    raise OaiError("badArgument", f"set '{spec}' is not a set of this repository (see ListSets)")


def check_arguments(args: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its single-valued arguments; badVerb or badArgument when the request is not legal."""
    verbs = args.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError(
            "badVerb",
            "the verb is missing, repeated or not an OAI-PMH verb"
            if len(verbs) != 1
            else f"'{verbs[0]}' is not an OAI-PMH verb",
        )
    verb = verbs[0]
    required, optional = VERBS[verb]
    repeated = sorted(k for k, v in args.items() if len(v) > 1)
    if repeated:
        raise OaiError("badArgument", f"argument {repeated[0]} is repeated")
    given = {k: v[0] for k, v in args.items() if k != "verb"}
    unknown = sorted(set(given) - required - optional)
    if unknown:
        raise OaiError("badArgument", f"{verb} does not take the argument '{unknown[0]}'")
    if "resumptionToken" in given:
        if len(given) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, given
    missing = sorted(required - set(given))
    if missing:
        raise OaiError("badArgument", f"{verb} needs the argument '{missing[0]}'")
    return verb, given


def envelope(
    base_url: str, response_date: dt.datetime, verb: str | None, arguments: dict[str, str]
) -> tuple[etree._Element, etree._Element | None]:
    """The <OAI-PMH> root with responseDate and request; returns (root, the verb element or None)."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = stamp(response_date)
    request = etree.SubElement(root, f"{{{OAI_NS}}}request")
    request.text = base_url
    if verb is not None:
        request.set("verb", verb)
        for key, value in sorted(arguments.items()):
            request.set(key, value)
    return root, (etree.SubElement(root, f"{{{OAI_NS}}}{verb}") if verb else None)


def error_document(
    base_url: str,
    response_date: dt.datetime,
    errors: list[OaiError],
    verb: str | None = None,
    arguments: dict[str, str] | None = None,
) -> bytes:
    """An error answer; the request element keeps its attributes only when the request was legal."""
    root, _ = envelope(base_url, response_date, None, {})
    request = root.find(f"{{{OAI_NS}}}request")
    if verb is not None and arguments is not None and not any(e.code in ("badVerb", "badArgument") for e in errors):
        request.set("verb", verb)
        for key, value in sorted(arguments.items()):
            request.set(key, value)
    for error in errors:
        node = etree.SubElement(root, f"{{{OAI_NS}}}error", code=error.code)
        node.text = error.message
    return serialise(root)


def sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", **attributes)
    if text is not None:
        node.text = text
    return node


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
