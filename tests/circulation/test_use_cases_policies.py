"""A library's loan policies and calendar as use cases, called without HTTP on a fixed day (Wednesday
25 November 2026, Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

import pytest

from pustaka.access import Staff
from pustaka.errors import Forbidden, Invalid
from services.circulation import policies
from services.circulation.domain.policy import DEFAULT_POLICIES, LoanPolicy
from services.circulation.policies import CalendarChange, ClosedDate
from tests.circulation.conftest import GONGGANG, SOMBO
from tests.circulation.use_cases import desk_service

TODAY = dt.date(2026, 11, 25)
SRI = Staff("sri", "librarian", GONGGANG)


@pytest.fixture
async def circulation(server, settings, magetan):
    async with desk_service(server, settings, magetan, TODAY) as service:
        yield service


async def test_a_library_without_rules_of_its_own_follows_the_village_defaults(circulation):
    rules = await policies.library_rules(circulation, SRI, GONGGANG)
    assert rules == policies.LibraryRules(GONGGANG, dict(DEFAULT_POLICIES), [7], [])


async def test_a_librarian_lets_adults_borrow_longer_and_it_is_audited(circulation, magetan):
    longer = LoanPolicy(loan_days=21, max_open_loans=5, max_renewals=1, fines_enabled=True, fine_per_day=500)
    rules = await policies.set_policy(circulation, SRI, GONGGANG, "dewasa", longer)
    assert rules.policies == {**DEFAULT_POLICIES, "dewasa": longer}
    assert (await policies.library_rules(circulation, SRI, GONGGANG)).policies["dewasa"] == longer
    async with magetan.acquire() as conn:
        audit = await conn.fetch("SELECT actor, action, library_code, target FROM circulation.audit_log")
        policy, calendar = await policies.policy_and_calendar(conn, GONGGANG, "dewasa", TODAY)
    assert [tuple(r) for r in audit] == [("sri", "loan_policy.set", GONGGANG, "policy:dewasa")]
    assert (policy, calendar.closed_weekdays) == (longer, frozenset({7}))


async def test_closed_dates_before_today_are_kept_out_and_the_calendar_is_read_from_today(circulation):
    rules = await policies.set_calendar(
        circulation,
        SRI,
        GONGGANG,
        CalendarChange(
            [5, 7],
            [
                ClosedDate(dt.date(2026, 11, 24), "kemarin"),
                ClosedDate(dt.date(2026, 12, 25), "Natal"),
                ClosedDate(TODAY, "rapat desa"),
            ],
        ),
    )
    assert (rules.closed_weekdays, rules.closed_dates) == ([5, 7], [TODAY, dt.date(2026, 12, 25)])


async def test_rules_are_refused_to_another_library_and_to_nonsense(circulation):
    with pytest.raises(Forbidden):
        await policies.set_policy(circulation, SRI, SOMBO, "anak", DEFAULT_POLICIES["anak"])
    with pytest.raises(Forbidden):
        await policies.library_rules(circulation, Staff("dinas", "district", "35.20"), GONGGANG)
    with pytest.raises(Invalid) as category:
        await policies.set_policy(circulation, SRI, GONGGANG, "bayi", DEFAULT_POLICIES["anak"])
    assert (category.value.code, category.value.field) == ("category_invalid", "category")
    with pytest.raises(Invalid) as never_open:
        await policies.set_calendar(circulation, SRI, GONGGANG, CalendarChange([1, 2, 3, 4, 5, 6, 7]))
    assert never_open.value.code == "closed_weekdays_invalid"
