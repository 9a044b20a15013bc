"""The desk's use cases called directly, as the HTTP handlers and the command line call them: no HTTP in
between, the real database, the catalogue of the session's server, and a clock fixed on Wednesday
25 November 2026 (the library is closed on Sundays)."""

from __future__ import annotations

import datetime as dt

import pytest

from pustaka.access import Staff
from pustaka.errors import Conflict, Forbidden, NotFound
from services.circulation import holds, lending, members
from services.circulation.holds import HoldRequest
from services.circulation.lending import CheckOut, CopyScan
from services.circulation.members import MemberList, Registration, Suspension
from tests.circulation.conftest import GONGGANG, SOMBO

WEDNESDAY = dt.date(2026, 11, 25)
AKAR_WANGI = "9789794139219"  # one copy in Gonggang
BABAD = "9789791680479"  # two copies
SRI = Staff("sri", "librarian", GONGGANG)


@pytest.fixture
def wednesday(clock):
    clock.set(WEDNESDAY)
    return clock


async def _member(circulation, name: str, birth_year: int = 1990) -> str:
    registered = await members.register_member(circulation, SRI, Registration(name, GONGGANG, birth_year, "P"))
    return registered.member_number


async def _events(pool, kind: str) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = $1", kind)


async def test_a_librarian_checks_out_a_book_that_is_held_for_someone_else(circulation, books, wednesday, pool):
    ani, budi = await _member(circulation, "Ani"), await _member(circulation, "Budi")
    barcode = books[AKAR_WANGI][0]
    hold = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, ani, GONGGANG))
    assert (hold.status, hold.item_barcode, hold.pickup_by) == ("open-awaiting-pickup", barcode, dt.date(2026, 11, 28))

    with pytest.raises(Conflict) as refused:
        await lending.check_out(circulation, SRI, CheckOut(barcode, budi))
    assert (refused.value.code, refused.value.extra) == ("item_held_for_another", {"item_status": "awaiting_pickup"})
    assert await _events(pool, "checked_out") == 0

    loan = await lending.check_out(circulation, SRI, CheckOut(barcode, ani))
    assert (loan.member_number, loan.member_name, loan.due_date, loan.hold_filled) == (
        ani,
        "Ani",
        dt.date(2026, 12, 9),
        hold.hold_id,
    )
    assert [h.status for h in await holds.member_holds(circulation, SRI, ani)] == ["closed-filled"]
    assert (await _events(pool, "checked_out"), await _events(pool, "hold_filled")) == (1, 1)


async def test_a_late_return_is_charged_and_the_copy_goes_to_the_member_waiting(circulation, books, wednesday):
    ani, budi = await _member(circulation, "Ani"), await _member(circulation, "Budi")
    barcode = books[AKAR_WANGI][0]
    loan = await lending.check_out(circulation, SRI, CheckOut(barcode, ani))
    queued = await holds.place_hold(circulation, SRI, HoldRequest("ISBN 978-979-413-921-9", budi, GONGGANG))
    assert (queued.status, queued.position) == ("open-not-yet-filled", 1)

    wednesday.set(dt.date(2026, 12, 12))  # three days after the due date, a Saturday
    back = await lending.check_in(circulation, SRI, CopyScan(barcode))

    assert (back.loan_id, back.late_days, back.member_number, back.member_name) == (loan.loan_id, 3, ani, "Ani")
    assert back.hold_waiting == holds.HoldWaiting(queued.hold_id, budi, "Budi", dt.date(2026, 12, 15))
    copy = await lending.copy_at_desk(circulation, SRI, barcode)
    assert (copy.status, copy.hold_id, copy.pickup_by) == ("awaiting_pickup", queued.hold_id, dt.date(2026, 12, 15))


async def test_a_renewal_runs_from_the_due_date_and_blocks_when_someone_waits(circulation, books, wednesday):
    ani, budi = await _member(circulation, "Ani"), await _member(circulation, "Budi")
    first, second = books[BABAD]
    loan = await lending.check_out(circulation, SRI, CheckOut(first, ani))
    with pytest.raises(Conflict) as too_soon:  # on the loan day a renewal would not move the due date
        await lending.renew(circulation, SRI, loan.loan_id)
    assert (too_soon.value.code, too_soon.value.extra) == ("renewal_would_not_extend", {"due_date": "2026-12-09"})

    wednesday.set(dt.date(2026, 12, 8))  # the Tuesday before the due date
    renewed = await lending.renew(circulation, SRI, loan.loan_id)
    assert (renewed.previous_due_date, renewed.due_date, renewed.renewals, renewed.renewals_left) == (
        dt.date(2026, 12, 9),
        dt.date(2026, 12, 22),
        1,
        1,
    )

    await lending.check_out(circulation, SRI, CheckOut(second, budi))
    await holds.place_hold(circulation, SRI, HoldRequest(BABAD, await _member(circulation, "Citra"), GONGGANG))
    with pytest.raises(Conflict) as refused:
        await lending.renew_copy(circulation, SRI, CopyScan(first))
    assert refused.value.code == "renewal_blocked_by_hold"


async def test_a_copy_lost_on_the_hold_shelf_sends_its_member_back_to_the_queue(circulation, books, wednesday):
    ani = await _member(circulation, "Ani")
    barcode = books[AKAR_WANGI][0]
    hold = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, ani, GONGGANG))

    lost = await lending.mark_lost(circulation, SRI, barcode)
    assert (lost.status, lost.loan_id) == ("lost", None)
    assert [(h.status, h.position) for h in await holds.member_holds(circulation, SRI, ani)] == [
        ("open-not-yet-filled", 1)
    ]

    found = await lending.mark_found(circulation, SRI, barcode)
    assert (found.status, found.hold_waiting.hold_id, found.hold_waiting.pickup_by) == (
        "awaiting_pickup",
        hold.hold_id,
        dt.date(2026, 11, 28),
    )


async def test_an_uncollected_copy_passes_to_the_next_in_the_queue_after_the_pickup_day(
    circulation, books, wednesday, pool
):
    ani, budi = await _member(circulation, "Ani"), await _member(circulation, "Budi")
    barcode = books[AKAR_WANGI][0]
    first = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, ani, GONGGANG))
    second = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, budi, GONGGANG))
    assert (first.pickup_by, second.position) == (dt.date(2026, 11, 28), 1)  # first in the queue still waiting

    wednesday.set(dt.date(2026, 11, 28))  # the last pickup day: nothing expires yet
    assert await holds.expire_holds(circulation, "system:test") == []
    wednesday.set(dt.date(2026, 11, 30))  # the Monday after
    assert await holds.expire_holds(circulation, "system:test") == [first.hold_id]
    assert await holds.expire_holds(circulation, "system:test") == []

    queue = await holds.library_holds(circulation, SRI, GONGGANG, None)
    assert [(h.member_number, h.status, h.item_barcode, h.pickup_by) for h in queue] == [
        (ani, "closed-pickup-expired", barcode, dt.date(2026, 11, 28)),
        (budi, "open-awaiting-pickup", barcode, dt.date(2026, 12, 3)),
    ]
    assert await _events(pool, "hold_expired") == 1


async def test_cancelling_a_hold_on_the_hold_shelf_gives_the_copy_to_the_next_member(circulation, books, wednesday):
    ani, budi = await _member(circulation, "Ani"), await _member(circulation, "Budi")
    first = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, ani, GONGGANG))
    second = await holds.place_hold(circulation, SRI, HoldRequest(AKAR_WANGI, budi, GONGGANG))

    cancelled = await holds.cancel_hold(circulation, SRI, first.hold_id)
    assert (cancelled.status, cancelled.position) == ("closed-cancelled", None)
    waiting = await holds.library_holds(circulation, SRI, GONGGANG, "open-awaiting-pickup")
    assert [(h.hold_id, h.member_name) for h in waiting] == [(second.hold_id, "Budi")]
    with pytest.raises(Conflict) as again:
        await holds.cancel_hold(circulation, SRI, first.hold_id)
    assert again.value.code == "hold_closed"


async def test_a_member_is_registered_with_the_next_number_and_three_years_of_membership(
    circulation, magetan, wednesday, pool
):
    kid = await members.register_member(circulation, SRI, Registration("  Dimas   Putra ", GONGGANG, 2017, "L"))
    adult = await members.register_member(circulation, SRI, Registration("Siti", GONGGANG, 1990, "P", contact="0812"))
    assert (kid.member_number, kid.name, kid.category, kid.registered_on, kid.expires_on) == (
        "3520012002-000016",
        "Dimas Putra",
        "anak",
        WEDNESDAY,
        dt.date(2029, 11, 25),
    )
    assert (adult.member_number, adult.category, adult.contact) == ("3520012002-000024", "dewasa", "0812")
    assert await members.member(circulation, SRI, adult.member_number) == adult

    suspended = await members.suspend_member(circulation, SRI, adult.member_number, Suspension("buku rusak"))
    assert (suspended.status, suspended.suspended_reason) == ("suspended", "buku rusak")
    assert await _events(pool, "member_registered") == 2


async def test_registering_a_member_of_another_library_is_refused_once_and_writes_nothing(
    circulation, magetan, wednesday, pool
):
    with pytest.raises(Forbidden) as refused:
        await members.register_member(circulation, SRI, Registration("Wati", SOMBO, 1990, "P"))
    assert refused.value.code == "forbidden"
    district = Staff("dinas", "district", "35.20")
    with pytest.raises(Forbidden):
        await members.register_member(circulation, district, Registration("Wati", GONGGANG, 1990, "P"))
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.members") == 0
        assert await conn.fetchval("SELECT count(*) FROM circulation.member_counters") == 0
    with pytest.raises(NotFound):
        await members.member(circulation, SRI, "3520012002-000016")


async def test_a_member_list_is_imported_in_row_order_and_bad_rows_are_reported(circulation, magetan, wednesday):
    data = b"Nama;Tahun Lahir;Jenis Kelamin\nAni;2010;P\nBudi;1890;L\nCitra;1985;perempuan\n"
    report = await members.import_members(circulation, SRI, MemberList(GONGGANG, data, "anggota.csv"))
    assert (report.rows, report.imported, report.member_numbers) == (3, 2, ["3520012002-000016", "3520012002-000024"])
    assert [(r.row, r.field, r.code) for r in report.rejected] == [(2, "birth_year", "birth_year_invalid")]
    shown = await members.show_member(circulation, SRI, "3520012002-000024")
    assert (shown.member.name, shown.member.category, shown.open_loans) == ("Citra", "dewasa", [])
