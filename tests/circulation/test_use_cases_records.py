"""The desk's records as use cases, called without HTTP: visitor tallies, reads on the spot, activities and the
guest book, on a fixed day (25 November 2026, Asia/Jakarta), with the real database and the catalogue."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from pustaka.access import Staff
from pustaka.errors import Conflict, Forbidden, Invalid, NotFound
from pustaka.unit_of_work import Once, Replayed
from services.circulation import records, visitors
from services.circulation.domain.members import member_number
from services.circulation.records import ActivityHeld, OnsiteRead, VisitTally
from services.circulation.visitors import Visitor
from tests.circulation.conftest import GONGGANG, SOMBO
from tests.circulation.use_cases import desk_service

TODAY = dt.date(2026, 11, 25)
BABAD = "9789791680479"
SRI = Staff("sri", "librarian", GONGGANG)
DISTRICT = Staff("dinas", "district", "35.20")


@pytest.fixture
async def circulation(server, settings, magetan):
    """The circulation service on 25 November 2026."""
    async with desk_service(server, settings, magetan, TODAY) as service:
        yield service


async def _events(pool, kind: str) -> list[tuple[str, str, str]]:
    async with pool.acquire() as conn:
        return [
            tuple(r)
            for r in await conn.fetch(
                "SELECT e.actor, e.library_code, e.detail::text FROM circulation.events e WHERE type = $1 ORDER BY id",
                kind,
            )
        ]


async def test_a_librarian_counts_the_morning_and_the_afternoon_then_corrects_the_day(circulation, magetan):
    morning = await records.record_visits(
        circulation, SRI, VisitTally(GONGGANG, TODAY, 5, 3, {"anak": 4, "dewasa": 4}, {"L": 2, "P": 6})
    )
    afternoon = await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY, 2, 0, None, {"P": 2}))
    assert afternoon == records.VisitDay(
        GONGGANG, TODAY, 7, 3, 10, {"anak": 4, "dewasa": 4}, {"L": 2, "P": 8}, 2, False
    )
    assert morning.tallies == 1
    corrected = await records.record_visits(
        circulation,
        SRI,
        VisitTally(GONGGANG, TODAY, 6, 1, by_gender={"L": 3, "P": 4}, correction=True, expected_tallies=2),
    )
    assert corrected == records.VisitDay(GONGGANG, TODAY, 6, 1, 7, {}, {"L": 3, "P": 4}, 3, True)
    last = (await _events(magetan, "visits_recorded"))[-1]
    assert last[:2] == ("sri", GONGGANG)
    assert '"member_visits": -1' in last[2] and '"non_member_visits": -2' in last[2]


async def test_a_correction_made_on_a_stale_tally_is_refused(circulation):
    await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY, 1, 0))
    with pytest.raises(Conflict) as refused:
        await records.record_visits(
            circulation, SRI, VisitTally(GONGGANG, TODAY, 0, 0, correction=True, expected_tallies=0)
        )
    assert (refused.value.code, refused.value.extra) == ("visit_tally_changed", {"tallies": 1})


async def test_records_of_another_library_or_by_the_district_are_refused_and_nothing_is_written(circulation, magetan):
    for staff, library in ((SRI, SOMBO), (DISTRICT, GONGGANG)):
        with pytest.raises(Forbidden):
            await records.record_visits(circulation, staff, VisitTally(library, TODAY, 1, 0))
        with pytest.raises(Forbidden):
            await records.record_activity(circulation, staff, ActivityHeld(library, TODAY, "Dongeng", "bercerita", 1))
        with pytest.raises(Forbidden):
            await records.record_read(circulation, staff, OnsiteRead(library, isbn13=BABAD))
    assert await _events(magetan, "visits_recorded") == []
    assert await _events(magetan, "activity_held") == []


async def test_the_day_comes_from_the_clock(circulation):
    with pytest.raises(Invalid) as future:
        await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY + dt.timedelta(days=1), 1, 0))
    assert (future.value.code, future.value.detail) == ("date_in_future", "2026-11-26 is after today (2026-11-25)")
    with pytest.raises(Invalid) as old:
        await records.record_activity(
            circulation, SRI, ActivityHeld(GONGGANG, dt.date(2021, 11, 1), "Lomba", "lomba", 3)
        )
    assert old.value.code == "date_too_old"


async def test_an_unknown_library_is_not_found(circulation):
    with pytest.raises(NotFound) as unknown:
        await records.record_visits(circulation, Staff("root", "admin"), VisitTally("35.20.01.9999", TODAY, 1, 0))
    assert (unknown.value.code, unknown.value.field) == ("library_not_found", "library")


async def test_a_read_on_the_spot_by_copy_or_by_isbn_keeps_the_title(circulation, books, magetan):
    barcode = books[BABAD][0]
    by_copy = await records.record_read(circulation, SRI, OnsiteRead(GONGGANG, item_barcode=barcode))
    assert by_copy == records.ReadRecorded(by_copy.read_id, GONGGANG, TODAY, barcode, BABAD, "Babad Tanah Jawi")
    by_isbn = await records.record_read(
        circulation, SRI, OnsiteRead(GONGGANG, isbn13="978-979-1680-47-9", date=dt.date(2026, 11, 24))
    )
    assert (by_isbn.item_barcode, by_isbn.isbn13, by_isbn.date) == (None, BABAD, dt.date(2026, 11, 24))
    today = await visitors.reads_of_day(circulation, SRI, GONGGANG)
    assert [(r.read_id, r.item_barcode, r.title, r.recorded_by) for r in today] == [
        (by_copy.read_id, barcode, "Babad Tanah Jawi", "sri")
    ]
    assert len(await _events(magetan, "read_onsite")) == 2


async def test_a_read_names_exactly_one_existing_copy_of_this_library(circulation, books):
    with pytest.raises(Invalid) as neither:
        await records.record_read(circulation, SRI, OnsiteRead(GONGGANG))
    assert neither.value.code == "read_target_invalid"
    with pytest.raises(Invalid) as unknown:
        await records.record_read(circulation, SRI, OnsiteRead(GONGGANG, item_barcode="NOPE404"))
    assert unknown.value.code == "item_not_found"
    with pytest.raises(NotFound) as not_held:
        await records.record_read(circulation, SRI, OnsiteRead(GONGGANG, isbn13="9780306406157"))
    assert (not_held.value.code, not_held.value.field) == ("title_not_held", "isbn13")


async def test_an_activity_is_recorded_with_its_participants(circulation):
    held = await records.record_activity(
        circulation,
        SRI,
        ActivityHeld(
            GONGGANG,
            TODAY,
            "  Dongeng Sabtu pagi ",
            "bercerita",
            12,
            "PKK Desa",
            {"anak": 10, "dewasa": 2},
            {"L": 5, "P": 7},
        ),
    )
    assert held == records.ActivityRecorded(
        held.activity_id,
        GONGGANG,
        TODAY,
        "Dongeng Sabtu pagi",
        "bercerita",
        12,
        "PKK Desa",
        {"anak": 10, "dewasa": 2},
        {"L": 5, "P": 7},
    )
    listed = await visitors.activities_between(circulation, SRI, GONGGANG)
    assert [(a.activity_id, a.title, a.by_gender) for a in listed] == [
        (held.activity_id, "Dongeng Sabtu pagi", {"L": 5, "P": 7})
    ]
    with pytest.raises(Invalid) as split:
        await records.record_activity(
            circulation, SRI, ActivityHeld(GONGGANG, TODAY, "Lomba", "lomba", 3, by_gender={"L": 1})
        )
    assert (split.value.code, split.value.field) == ("breakdown_sum_mismatch", "by_gender")


async def test_the_kiosk_counts_a_member_by_their_record_and_a_guest_by_what_they_say(circulation, magetan):
    number = member_number(GONGGANG, 1)
    async with magetan.acquire() as conn:
        await conn.execute(
            "INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, registered_on,"
            " expires_on, created_by) VALUES ($1, $2, 'Dewi Lestari', 2014, 'P', $3, $4, 'test')",
            number,
            GONGGANG,
            TODAY,
            TODAY + dt.timedelta(days=3 * 365),
        )
    member = await visitors.record_visitor(circulation, SRI, Visitor(GONGGANG, member_number=number))
    assert member == visitors.VisitorRecorded(GONGGANG, TODAY, True, "anak", "P", 1)
    guest = await visitors.record_visitor(circulation, SRI, Visitor(GONGGANG, category="lansia", gender="L"))
    assert guest == visitors.VisitorRecorded(GONGGANG, TODAY, False, "lansia", "L", 2)
    [day] = await visitors.visit_days(circulation, SRI, GONGGANG)
    assert (day.date, day.member_visits, day.non_member_visits, day.by_category, day.by_gender, day.tallies) == (
        TODAY,
        1,
        1,
        {"anak": 1, "lansia": 1},
        {"L": 1, "P": 1},
        2,
    )
    with pytest.raises(Invalid) as unknown:
        await visitors.record_visitor(circulation, SRI, Visitor(GONGGANG, member_number="3520012002-999999"))
    assert unknown.value.code == "member_not_found"
    with pytest.raises(Forbidden):
        await visitors.visit_days(circulation, SRI, SOMBO)
    with pytest.raises(Invalid) as inverted:
        await visitors.visit_days(circulation, SRI, GONGGANG, TODAY, TODAY - dt.timedelta(days=1))
    assert inverted.value.code == "range_inverted"


async def test_a_tally_sent_twice_under_one_key_is_counted_once_and_answered_alike(circulation, magetan):
    once = Once("circulation", "sri", "tally-1", "POST /visits 4+0", 201)
    first = await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY, 4, 0), once)
    with pytest.raises(Replayed) as again:
        await records.record_visits(circulation, SRI, VisitTally(GONGGANG, TODAY, 4, 0), once)
    assert (again.value.status, msgspec.json.decode(again.value.body, type=records.VisitDay)) == (201, first)
    assert len(await _events(magetan, "visits_recorded")) == 1
