"""The OAI-PMH 2.0 provider: one OAI item per (library, title), harvested by Indonesia OneSearch and others.

Identifiers: `oai:{repository id}:{library code}/{ISBN-13 or local code}`. Sets: `library:CODE`,
`kecamatan:CODE`, `ddc:600` (the DDC hundreds), with the parents `library`, `kecamatan` and `ddc`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg
from lxml import etree

from services.catalog.domain import oai_protocol as p
from services.catalog.domain.marc_write import Copy, Holding, marcxml, oai_dc, to_marc
from services.catalog.queries import oai as Q
from services.catalog.queries.oai import OaiRecord
from services.catalog.service import Catalogue

OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
DDC_CLASSES = {
    "000": "Karya umum, ilmu komputer dan informasi",
    "100": "Filsafat dan psikologi",
    "200": "Agama",
    "300": "Ilmu sosial",
    "400": "Bahasa",
    "500": "Ilmu murni (sains dan matematika)",
    "600": "Ilmu terapan (teknologi)",
    "700": "Kesenian dan olahraga",
    "800": "Kesusastraan",
    "900": "Sejarah dan geografi",
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Repository:
    base_url: str
    name: str
    identifier: str
    admin_email: str
    page_size: int


def holding(row: OaiRecord, copies: list[Copy]) -> Holding:
    return Holding(
        library=row.library_code,
        library_name=row.library_name,
        isbn13=row.isbn13,
        local_code=row.local_code,
        title=row.title,
        subtitle=row.subtitle,
        authors=tuple(row.authors),
        publisher=row.publisher,
        year=row.year,
        language=row.language,
        ddc=row.ddc,
        subjects=tuple(row.subjects),
        changed=row.datestamp,
        copies=tuple(copies),
    )


async def copies_of(conn: asyncpg.Connection, rows: list[OaiRecord]) -> dict[tuple[str, int], list[Copy]]:
    found: dict[tuple[str, int], list[Copy]] = {}
    if rows:
        for c in await Q.copies_of(
            conn, libraries=[r.library_code for r in rows], title_ids=[r.title_id for r in rows]
        ):
            found.setdefault((c.library_code, c.title_id), []).append(Copy(c.barcode, c.call_number))
    return found


def _identifier(repo: Repository, row: OaiRecord) -> str:
    return f"oai:{repo.identifier}:{row.library_code}/{row.isbn13 or row.local_code}"


def _parse_identifier(repo: Repository, identifier: str) -> tuple[str, str]:
    prefix = f"oai:{repo.identifier}:"
    library, _, key = identifier.removeprefix(prefix).partition("/")
    if not identifier.startswith(prefix) or not library or not key:
        raise p.OaiError("idDoesNotExist", f"'{identifier}' is not an identifier of this repository")
    return library, key


def _header(parent: etree._Element, repo: Repository, row: OaiRecord) -> None:
    header = p.sub(parent, "header", **({"status": "deleted"} if row.deleted else {}))
    p.sub(header, "identifier", _identifier(repo, row))
    p.sub(header, "datestamp", p.stamp(row.datestamp))
    p.sub(header, "setSpec", f"library:{row.library_code}")
    p.sub(header, "setSpec", f"kecamatan:{row.kecamatan_code}")
    if row.ddc and row.ddc[:1].isdigit():
        p.sub(header, "setSpec", f"ddc:{row.ddc[0]}00")


def _record(parent: etree._Element, repo: Repository, row: OaiRecord, prefix: str, copies: list[Copy]) -> None:
    record = p.sub(parent, "record")
    _header(record, repo, row)
    if row.deleted:
        return
    metadata = p.sub(record, "metadata")
    facts = holding(row, copies)
    if prefix == "oai_dc":
        metadata.append(oai_dc(facts))
    else:
        element = marcxml(to_marc(facts))
        element.set(f"{{{p.XSI}}}schemaLocation", f"{p.FORMATS['marc21'][1]} {p.FORMATS['marc21'][0]}")
        metadata.append(element)


async def handle(catalogue: Catalogue, repo: Repository, args: dict[str, list[str]]) -> bytes:
    """Answer one OAI-PMH request (any verb, any arguments) with its XML document, read in one snapshot (the
    response date is the database's: the datestamps it is compared with are too)."""
    return await catalogue.snapshot(lambda conn: _handle(conn, repo, args))


async def _handle(conn: asyncpg.Connection, repo: Repository, args: dict[str, list[str]]) -> bytes:
    verb = arguments = None
    await Q.custom_plans(conn)
    now = await Q.now(conn)
    assert now is not None  # clock_timestamp() is never NULL
    try:
        verb, arguments = p.check_arguments(args)
        root, body = p.envelope(repo.base_url, now, verb, arguments)
        await VERB_HANDLERS[verb](conn, repo, arguments, body, now)
        return p.serialise(root)
    except p.OaiError as error:
        return p.error_document(repo.base_url, now, [error], verb, arguments)


async def identify(conn, repo: Repository, args: dict[str, str], body: etree._Element, now: dt.datetime) -> None:
    earliest = await Q.earliest(conn) or now
    for name, value in (
        ("repositoryName", repo.name),
        ("baseURL", repo.base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", repo.admin_email),
        ("earliestDatestamp", p.stamp(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        p.sub(body, name, value)
    description = p.sub(body, "description")
    ident = etree.SubElement(description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS})
    ident.set(f"{{{p.XSI}}}schemaLocation", f"{OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repo.identifier),
        ("delimiter", ":"),
        ("sampleIdentifier", f"oai:{repo.identifier}:35.20.01.2002/9789794331234"),
    ):
        etree.SubElement(ident, f"{{{OAI_ID_NS}}}{name}").text = value


async def list_metadata_formats(
    conn, repo: Repository, args: dict[str, str], body: etree._Element, now: dt.datetime
) -> None:
    if "identifier" in args:
        library, key = _parse_identifier(repo, args["identifier"])
        row = await Q.record_by_key(conn, library=library, key=key)
        if row is None:
            raise p.OaiError("idDoesNotExist", f"no record has the identifier '{args['identifier']}'")
        if row.deleted:
            raise p.OaiError("noMetadataFormats", "the item was withdrawn: only its deleted header is kept")
    for prefix, (schema, namespace) in p.FORMATS.items():
        node = p.sub(body, "metadataFormat")
        p.sub(node, "metadataPrefix", prefix)
        p.sub(node, "schema", schema)
        p.sub(node, "metadataNamespace", namespace)


async def list_sets(conn, repo: Repository, args: dict[str, str], body: etree._Element, now: dt.datetime) -> None:
    if "resumptionToken" in args:
        raise p.OaiError("badResumptionToken", "ListSets is answered in one response; no token was issued")
    libraries = await Q.set_libraries(conn)
    sets = [
        ("library", "Perpustakaan (per perpustakaan)"),
        ("kecamatan", "Kecamatan"),
        ("ddc", "Klasifikasi DDC (ratusan)"),
    ]
    sets += [(f"library:{r.code}", r.name) for r in libraries]
    kecamatan = {r.kecamatan_code: r.kecamatan for r in libraries}
    sets += [(f"kecamatan:{code}", f"Kecamatan {name}") for code, name in sorted(kecamatan.items())]
    sets += [(f"ddc:{code}", f"DDC {code} {name}") for code, name in DDC_CLASSES.items()]
    for spec, name in sets:
        node = p.sub(body, "set")
        p.sub(node, "setSpec", spec)
        p.sub(node, "setName", name)


async def get_record(conn, repo: Repository, args: dict[str, str], body: etree._Element, now: dt.datetime) -> None:
    library, key = _parse_identifier(repo, args["identifier"])
    row = await Q.record_by_key(conn, library=library, key=key)
    if row is None:
        raise p.OaiError("idDoesNotExist", f"no record has the identifier '{args['identifier']}'")
    if args["metadataPrefix"] not in p.FORMATS:
        raise p.OaiError("cannotDisseminateFormat", f"'{args['metadataPrefix']}' is not offered: use oai_dc or marc21")
    copies = await copies_of(conn, [row])
    _record(body, repo, row, args["metadataPrefix"], copies.get((row.library_code, row.title_id), []))


def _start(args: dict[str, str], now: dt.datetime) -> p.Token:
    """The token a first request stands for: nothing sent yet, the upper bound frozen at `now`."""
    if args["metadataPrefix"] not in p.FORMATS:
        raise p.OaiError("cannotDisseminateFormat", f"'{args['metadataPrefix']}' is not offered: use oai_dc or marc21")
    p.parse_set(args.get("set"))
    since, until = p.parse_range(args.get("from"), args.get("until"))
    before = min(until, now) if until is not None else now
    return p.Token(
        prefix=args["metadataPrefix"],
        set=args.get("set"),
        since=p.micros(since) if since else None,
        before=p.micros(before),
        last_stamp=0,
        last_id=0,
        cursor=0,
        size=-1,
    )


async def _list(
    conn, repo: Repository, args: dict[str, str], body: etree._Element, now: dt.datetime, *, with_records: bool
) -> None:
    first = "resumptionToken" not in args
    token = _start(args, now) if first else p.decode_token(args["resumptionToken"])
    sets = p.parse_set(token.set)
    since = p.from_micros(token.since) if token.since is not None else EPOCH
    before = p.from_micros(token.before)
    filters = {
        "library": sets.library,
        "kecamatan": sets.kecamatan,
        "ddc_like": sets.ddc_like,
        "since": since,
        "before": before,
    }
    rows = await Q.records_page(
        conn,
        **filters,
        after_stamp=p.from_micros(token.last_stamp),
        after_id=token.last_id,
        page_size=repo.page_size + 1,
    )
    if first and not rows:
        raise p.OaiError("noRecordsMatch", "no record matches these arguments")
    more, rows = len(rows) > repo.page_size, rows[: repo.page_size]
    size = (await Q.records_count(conn, **filters) or 0) if first else token.size
    copies = await copies_of(conn, rows) if with_records and token.prefix == "marc21" else {}
    for row in rows:
        if with_records:
            _record(body, repo, row, token.prefix, copies.get((row.library_code, row.title_id), []))
        else:
            _header(body, repo, row)
    if not more and first:
        return
    attributes = {"completeListSize": str(size), "cursor": str(token.cursor)}
    if more:
        last = rows[-1]
        following = p.Token(
            token.prefix,
            token.set,
            token.since,
            token.before,
            p.micros(last.datestamp),
            last.id,
            token.cursor + len(rows),
            size,
        )
        p.sub(body, "resumptionToken", p.encode_token(following), **attributes)
    else:
        p.sub(body, "resumptionToken", None, **attributes)


async def list_records(conn, repo, args, body, now) -> None:
    await _list(conn, repo, args, body, now, with_records=True)


async def list_identifiers(conn, repo, args, body, now) -> None:
    await _list(conn, repo, args, body, now, with_records=False)


VERB_HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListRecords": list_records,
    "ListIdentifiers": list_identifiers,
}
