"""The day book as read use cases, without HTTP: the day is the clock's unless one is asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from pustaka.access import Staff
from pustaka.errors import Forbidden
from services.circulation import daybook, records
from services.circulation.records import ActivityHeld, OnsiteRead, VisitTally
from tests.circulation.conftest import GONGGANG
from tests.circulation.use_cases import desk_service

TODAY = dt.date(2026, 11, 25)
BABAD = "9789791680479"
SRI = Staff("sri", "librarian", GONGGANG)


@pytest.fixture
async def circulation(server, settings, magetan):
    async with desk_service(server, settings, magetan, TODAY) as service:
        yield service


async def test_the_day_in_figures_is_the_clock_s_day(circulation, books):
    await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY, 4, 2))
    await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY - dt.timedelta(days=1), 9, 9))
    await records.record_read(circulation, SRI, OnsiteRead(GONGGANG, isbn13=BABAD))
    await records.record_activity(circulation, SRI, ActivityHeld(GONGGANG, TODAY, "Mendongeng", "bercerita", 12))
    assert await daybook.day_summary(circulation, SRI, GONGGANG) == daybook.DaySummary(
        GONGGANG,
        TODAY,
        loans=0,
        returns=0,
        renewals=0,
        visits=6,
        member_visits=4,
        non_member_visits=2,
        new_members=0,
        reads_onsite=1,
        activities=1,
        activity_participants=12,
    )
    yesterday = await daybook.day_summary(circulation, SRI, GONGGANG, TODAY - dt.timedelta(days=1))
    assert (yesterday.date, yesterday.visits, yesterday.reads_onsite) == (TODAY - dt.timedelta(days=1), 18, 0)
    assert await daybook.day_transactions(circulation, SRI, GONGGANG) == daybook.DayTransactions(GONGGANG, TODAY, [])
    with pytest.raises(Forbidden):
        await daybook.day_summary(circulation, Staff("dinas", "district", "35.20"), GONGGANG)
