"""Statistics rules without I/O: scopes, ranges, periods and their rollup segments, the formulas."""

import datetime as dt

import pytest

from pustaka.errors import Invalid
from services.reporting import domain

D = dt.date


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("village:35.20.01.2001", "scope_invalid"),
        ("library:35.20", "scope_invalid"),
        ("kabupaten:35.20.01", "scope_invalid"),
        ("kecamatan:35.20.01'; DROP", "scope_invalid"),
        ("", "scope_invalid"),
    ],
)
def test_a_scope_must_name_its_kind_and_a_code_of_that_kind(text, code):
    with pytest.raises(Invalid) as caught:
        domain.parse_scope(text)
    assert caught.value.code == code


def test_scopes_of_each_kind():
    assert str(domain.parse_scope("library:35.20.05.2003-TBM1")) == "library:35.20.05.2003-TBM1"
    assert domain.parse_scope("kecamatan:35.20.01").kind == "kecamatan"
    assert domain.parse_scope("kabupaten:35.20").code == "35.20"


def test_ranges_are_checked():
    with pytest.raises(Invalid, match="after") as caught:
        domain.check_range(D(2026, 2, 1), D(2026, 1, 31))
    assert caught.value.code == "range_inverted"
    with pytest.raises(Invalid) as caught:
        domain.check_range(D(2020, 1, 1), D(2025, 1, 1))
    assert caught.value.code == "range_too_long"
    domain.check_range(D(2020, 1, 1), D(2024, 12, 31))


def test_breakdowns_and_groupings_come_from_fixed_lists():
    assert domain.parse_breakdowns("gender, category,gender") == ["gender", "category"]
    for bad, parse in (("gender;DROP TABLE x", domain.parse_breakdowns), ("week", domain.parse_grouping)):
        with pytest.raises(Invalid):
            parse(bad)


def test_periods_are_clipped_to_the_range_and_know_whether_they_are_whole():
    months = domain.periods(D(2026, 1, 15), D(2026, 3, 31), "month")
    assert [(p.label, p.start, p.end, p.distinct_kind) for p in months] == [
        ("2026-01", D(2026, 1, 15), D(2026, 1, 31), "d"),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "m"),
        ("2026-03", D(2026, 3, 1), D(2026, 3, 31), "m"),
    ]
    years = domain.periods(D(2025, 1, 1), D(2026, 6, 30), "year")
    assert [(p.label, p.distinct_kind) for p in years] == [("2025", "y"), ("2026", "d")]
    assert len(domain.periods(D(2024, 2, 1), D(2024, 3, 1), "day")) == 30  # a leap year


def test_segments_read_whole_months_from_the_monthly_rollup():
    segs = domain.segments(domain.periods(D(2026, 1, 15), D(2026, 4, 10), "year"))
    assert [(s.start, s.end, s.monthly) for s in segs] == [
        (D(2026, 1, 15), D(2026, 1, 31), False),
        (D(2026, 2, 1), D(2026, 3, 1), True),
        (D(2026, 4, 1), D(2026, 4, 10), False),
    ]
    assert [
        (s.start, s.end, s.monthly) for s in domain.segments(domain.periods(D(2026, 2, 3), D(2026, 2, 9), "month"))
    ] == [(D(2026, 2, 3), D(2026, 2, 9), False)]


def test_formulas():
    assert domain.turnover(30, 1000) == 0.03 and domain.turnover(5, 0) is None
    assert domain.titles_used_pct(250, 1000) == 25.0 and domain.titles_used_pct(3, 2) == 100.0
    assert domain.overdue_pct(due=10, on_time=6, not_yet_due=2) == 25.0
    assert domain.overdue_pct(due=2, on_time=0, not_yet_due=2) is None
    assert [domain.category_at(y, D(2026, 1, 1)) for y in (2014, 2013, 2009, 2008, 1967, 1966)] == [
        "anak",
        "remaja",
        "remaja",
        "dewasa",
        "dewasa",
        "lansia",
    ]
