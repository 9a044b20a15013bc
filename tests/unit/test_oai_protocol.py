"""OAI-PMH rules without a server: legal requests, dates, sets and resumption tokens."""

import datetime as dt

import pytest

from services.catalog.domain import oai_protocol as p


def code(call, *args) -> str:
    with pytest.raises(p.OaiError) as error:
        call(*args)
    return error.value.code


def test_a_legal_request_gives_its_verb_and_single_arguments():
    assert p.check_arguments({"verb": ["ListRecords"], "metadataPrefix": ["oai_dc"], "set": ["ddc:600"]}) == (
        "ListRecords",
        {"metadataPrefix": "oai_dc", "set": "ddc:600"},
    )
    assert p.check_arguments({"verb": ["ListRecords"], "resumptionToken": ["x"]}) == (
        "ListRecords",
        {"resumptionToken": "x"},
    )


@pytest.mark.parametrize(
    "args, expected",
    [
        ({}, "badVerb"),
        ({"verb": ["Harvest"]}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": ["GetRecord"], "identifier": ["x"]}, "badArgument"),
        ({"verb": ["ListSets"], "metadataPrefix": ["oai_dc"]}, "badArgument"),
        ({"verb": ["ListRecords"], "metadataPrefix": ["oai_dc", "marc21"]}, "badArgument"),
        ({"verb": ["ListIdentifiers"], "resumptionToken": ["x"], "set": ["ddc"]}, "badArgument"),
    ],
)
def test_an_illegal_request_is_refused_with_the_protocols_code(args, expected):
    assert code(p.check_arguments, args) == expected


def test_until_is_inclusive_at_its_own_granularity():
    start, end = p.parse_range("2026-11-01", "2026-11-25")
    assert (start, end) == (dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    _, end = p.parse_range(None, "2026-11-25T10:00:00Z")
    assert end == dt.datetime(2026, 11, 25, 10, 0, 1, tzinfo=dt.UTC)
    assert code(p.parse_range, "2026-11-01", "2026-11-25T10:00:00Z") == "badArgument"
    assert code(p.parse_range, "2026-11-25", "2026-11-01") == "badArgument"
    assert code(p.parse_range, "25-11-2026", None) == "badArgument"
    assert code(p.parse_range, "2026-11-25T10:00:00", None) == "badArgument"


def test_sets_name_a_library_a_kecamatan_or_a_ddc_hundred():
    assert p.parse_set("library:35.20.05.2003-TBM1") == p.SetFilter(library="35.20.05.2003-TBM1")
    assert p.parse_set("kecamatan:35.20.01") == p.SetFilter(kecamatan="35.20.01")
    assert p.parse_set("ddc:600") == p.SetFilter(ddc_like="6%")
    assert p.parse_set("ddc") == p.SetFilter(ddc_like="%")
    assert p.parse_set("library") == p.SetFilter()
    for wrong in ("ddc:650", "library:x", "kabupaten:35.20", "kecamatan:35.20"):
        assert code(p.parse_set, wrong) == "badArgument"


def test_a_token_comes_back_as_it_was_issued_and_a_forged_one_is_refused():
    token = p.Token("marc21", "library:35.20.01.2002", None, 1_790_000_000_000_000, 1_780_000_000_123_456, 77, 40, 1000)
    assert p.decode_token(p.encode_token(token)) == token
    assert code(p.decode_token, "bukan-token") == "badResumptionToken"
    assert code(p.decode_token, p.encode_token(p.Token("mods", None, None, 1, 0, 0, 0, 0))) == "badResumptionToken"
    forged_set = p.encode_token(p.Token("oai_dc", "kabupaten:35.20", None, 1, 0, 0, 0, 0))
    assert code(p.decode_token, forged_set) == "badResumptionToken"


def test_datestamps_are_utc_seconds():
    jakarta = dt.timezone(dt.timedelta(hours=7))
    assert p.stamp(dt.datetime(2026, 11, 25, 7, 30, 15, 999_999, tzinfo=jakarta)) == "2026-11-25T00:30:15Z"
    moment = dt.datetime(2026, 11, 25, 0, 30, 15, 123_456, tzinfo=dt.UTC)
    assert p.from_micros(p.micros(moment)) == moment
