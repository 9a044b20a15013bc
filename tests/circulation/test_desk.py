"""User stories at the circulation desk, over real HTTP against the whole system."""

import datetime as dt

from services.circulation import holds
from services.circulation.clock import today
from tests.circulation.conftest import API, GONGGANG, check_in, check_out, register

AKAR_WANGI = "9789794139219"  # one copy
BABAD = "9789791680479"  # two copies
FISIKA = "9789797312947"  # three copies


async def hold(http, headers, isbn13, member, library=GONGGANG):
    return await http.post(
        f"{API}/holds", headers=headers, json={"isbn13": isbn13, "member_number": member, "library": library}
    )


async def test_a_member_borrows_a_book_and_brings_it_back(http, books, desk, clock):
    clock.set(dt.date(2026, 11, 25))  # a Wednesday
    siti = await register(http, desk)
    assert siti["category"] == "dewasa" and siti["member_number"].startswith("3520012002-")
    barcode = books[BABAD][0]
    loan = await check_out(http, desk, barcode, siti["member_number"])
    assert loan.status_code == 201, loan.text
    body = loan.json()
    assert {k: body[k] for k in ("item_barcode", "member_number", "title")} == {
        "item_barcode": barcode,
        "member_number": siti["member_number"],
        "title": "Babad Tanah Jawi",
    }
    due = dt.date.fromisoformat(body["due_date"])
    assert due == dt.date(2026, 12, 9)  # 14 days, a Wednesday (Sunday is closed by default)
    assert (await http.get(f"{API}/members/{siti['member_number']}/loans", headers=desk)).json()[0]["loan_id"] == body[
        "loan_id"
    ]
    back = await check_in(http, desk, barcode)
    assert back.status_code == 200
    assert {k: back.json()[k] for k in ("loan_id", "late_days", "hold_waiting")} == {
        "loan_id": body["loan_id"],
        "late_days": 0,
        "hold_waiting": None,
    }
    assert (await http.get(f"{API}/members/{siti['member_number']}/loans", headers=desk)).json() == []
    history = (await http.get(f"{API}/members/{siti['member_number']}/loans?status=closed", headers=desk)).json()
    assert [(h["loan_id"], h["status"], h["closed_reason"]) for h in history] == [
        (body["loan_id"], "closed", "returned")
    ]


async def test_a_librarian_checks_out_a_book_that_is_held_for_someone_else(http, books, desk):
    ani, budi, citra = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi", "Citra")]
    barcode = books[AKAR_WANGI][0]
    assert (await check_out(http, desk, barcode, ani)).status_code == 201
    queued = await hold(http, desk, AKAR_WANGI, budi)
    assert queued.status_code == 201, queued.text
    assert (queued.json()["status"], queued.json()["position"]) == ("open-not-yet-filled", 1)

    back = (await check_in(http, desk, barcode)).json()
    assert back["hold_waiting"]["member_number"] == budi and back["hold_waiting"]["name"] == "Budi"
    refused = await check_out(http, desk, barcode, citra)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (refused.json()["code"], refused.json()["field"]) == ("item_held_for_another", "item_barcode")

    taken = await check_out(http, desk, barcode, budi)
    assert taken.status_code == 201 and taken.json()["hold_filled"] == queued.json()["hold_id"]
    holds = (await http.get(f"{API}/libraries/{GONGGANG}/holds", headers=desk)).json()
    assert [h["status"] for h in holds] == ["closed-filled"]


async def test_a_hold_on_a_title_on_the_shelf_sets_a_copy_aside_until_cancelled(http, books, desk, clock):
    clock.set(dt.date(2026, 11, 25))  # a Wednesday: three days on the hold shelf, to Saturday
    ani, budi = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi")]
    placed = (await hold(http, desk, AKAR_WANGI, ani)).json()
    assert placed["status"] == "open-awaiting-pickup" and placed["item_barcode"] == books[AKAR_WANGI][0]
    assert placed["pickup_by"] == "2026-11-28"
    assert (await check_out(http, desk, books[AKAR_WANGI][0], budi)).json()["code"] == "item_held_for_another"
    again = await hold(http, desk, AKAR_WANGI, ani)
    assert (again.status_code, again.json()["code"]) == (409, "hold_already_placed")
    cancelled = await http.post(f"{API}/holds/{placed['hold_id']}/cancellation", headers=desk)
    assert cancelled.json()["status"] == "closed-cancelled"
    assert (await check_out(http, desk, books[AKAR_WANGI][0], budi)).status_code == 201


async def test_the_second_in_the_queue_gets_the_copy_the_first_did_not_collect(http, books, desk, pool, circulation):
    ani, budi, citra = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi", "Citra")]
    barcode = books[AKAR_WANGI][0]
    await check_out(http, desk, barcode, citra)
    first = (await hold(http, desk, AKAR_WANGI, ani)).json()
    second = (await hold(http, desk, AKAR_WANGI, budi)).json()
    assert (first["position"], second["position"]) == (1, 2)
    assert (await check_in(http, desk, barcode)).json()["hold_waiting"]["member_number"] == ani
    async with pool.acquire() as conn:  # the pickup day passes
        await conn.execute(
            "UPDATE circulation.holds SET pickup_by = $1 WHERE id = $2",
            today() - dt.timedelta(days=1),
            first["hold_id"],
        )
    assert await holds.expire_holds(circulation, "test") == [first["hold_id"]]
    by_member = (await http.get(f"{API}/members/{budi}/holds", headers=desk)).json()
    assert (by_member[0]["status"], by_member[0]["item_barcode"]) == ("open-awaiting-pickup", barcode)
    expired = (await http.get(f"{API}/members/{ani}/holds", headers=desk)).json()
    assert expired[0]["status"] == "closed-pickup-expired"


async def test_renewals_run_out_and_a_waiting_member_blocks_them(http, books, desk, pool):
    ani, budi = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi")]
    loan = (await check_out(http, desk, books[BABAD][0], ani)).json()
    for left in (1, 0):
        async with pool.acquire() as conn:  # near the due date, so that a renewal moves it
            await conn.execute(
                "UPDATE circulation.loans SET due_date = $2 WHERE id = $1",
                loan["loan_id"],
                today() + dt.timedelta(days=1),
            )
        renewed = await http.post(f"{API}/loans/{loan['loan_id']}/renewals", headers=desk)
        assert renewed.status_code == 200 and renewed.json()["renewals_left"] == left
        assert renewed.json()["due_date"] >= loan["due_date"]
    exhausted = await http.post(f"{API}/loans/{loan['loan_id']}/renewals", headers=desk)
    assert (exhausted.status_code, exhausted.json()["code"]) == (409, "renewals_exhausted")

    single = (await check_out(http, desk, books[AKAR_WANGI][0], ani)).json()
    await hold(http, desk, AKAR_WANGI, budi)
    blocked = await http.post(f"{API}/loans/{single['loan_id']}/renewals", headers=desk)
    assert (blocked.status_code, blocked.json()["code"]) == (409, "renewal_blocked_by_hold")
    missing = await http.post(f"{API}/loans/999999/renewals", headers=desk)
    assert (missing.status_code, missing.json()["code"]) == (404, "loan_not_found")


async def test_every_check_out_refusal_has_its_own_code(http, books, desk, pool):
    ani = (await register(http, desk, "Ani"))["member_number"]
    kid = (await register(http, desk, "Dimas", birth_year=today().year - 9, gender="L"))["member_number"]
    on_loan = books[BABAD][0]
    await check_out(http, desk, on_loan, ani)

    async def refusal(barcode, member):
        answer = await check_out(http, desk, barcode, member)
        return answer.status_code, answer.json()["code"]

    assert await refusal("000000099999", ani) == (422, "item_not_found")
    assert await refusal(books[BABAD][1], "3520012002-999999") == (422, "member_not_found")
    assert await refusal(on_loan, kid) == (409, "item_not_available")
    assert (await check_out(http, desk, on_loan, kid)).json()["item_status"] == "on_loan"
    for barcode in books[FISIKA]:  # a child may have three books at home
        assert (await check_out(http, desk, barcode, kid)).status_code == 201
    assert await refusal(books[BABAD][1], kid) == (409, "loan_limit_reached")

    suspended = await http.post(f"{API}/members/{ani}/suspension", headers=desk, json={"reason": "buku rusak"})
    assert suspended.json()["status"] == "suspended"
    assert await refusal(books[BABAD][1], ani) == (409, "member_suspended")
    await http.post(f"{API}/members/{ani}/reinstatement", headers=desk)
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $1 WHERE barcode = $2 AND status = 'open'",
            today() - dt.timedelta(days=3),
            on_loan,
        )
    assert await refusal(books[BABAD][1], ani) == (409, "member_has_overdue")
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.members SET expires_on = $1, registered_on = $1 WHERE member_number = $2",
            today() - dt.timedelta(days=1),
            ani,
        )
    assert await refusal(books[BABAD][1], ani) == (409, "member_expired")
    renewed = await http.post(f"{API}/members/{ani}/renewals", headers=desk, json={"years": 1})
    assert renewed.json()["expires_on"] == today().replace(year=today().year + 1).isoformat()

    not_out = await check_in(http, desk, books[BABAD][1])
    assert (not_out.status_code, not_out.json()["code"]) == (409, "item_not_on_loan")


async def test_the_overdue_list_says_whom_to_remind_and_a_late_return_counts_the_days(http, books, desk, pool):
    ani = (await register(http, desk, "Ani", contact="0812-3456-789"))["member_number"]
    barcode = books[BABAD][0]
    await check_out(http, desk, barcode, ani)
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $1 WHERE barcode = $2", today() - dt.timedelta(days=5), barcode
        )
    overdue = (await http.get(f"{API}/libraries/{GONGGANG}/overdue", headers=desk)).json()
    assert [(o["item_barcode"], o["days_overdue"], o["name"], o["contact"]) for o in overdue] == [
        (barcode, 5, "Ani", "0812-3456-789")
    ]
    back = (await check_in(http, desk, barcode)).json()
    assert (back["late_days"], back["fine"]) == (5, 0)


async def test_a_lost_book_that_turns_up_goes_to_whoever_waits_for_it(http, books, desk):
    ani, budi = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi")]
    barcode = books[AKAR_WANGI][0]
    loan = (await check_out(http, desk, barcode, ani)).json()
    lost = await http.post(f"{API}/items/{barcode}/lost", headers=desk)
    assert lost.json() == {"item_barcode": barcode, "status": "lost", "loan_id": loan["loan_id"], "hold_waiting": None}
    assert (await http.get(f"{API}/loans/{loan['loan_id']}", headers=desk)).json()["closed_reason"] == "lost"
    refused = (await check_out(http, desk, barcode, budi)).json()
    assert (refused["code"], refused["item_status"]) == ("item_not_available", "lost")
    assert (await http.post(f"{API}/items/{barcode}/lost", headers=desk)).json()["code"] == "item_already_lost"
    await hold(http, desk, AKAR_WANGI, budi)
    found = (await http.post(f"{API}/items/{barcode}/found", headers=desk)).json()
    assert found["status"] == "awaiting_pickup" and found["hold_waiting"]["member_number"] == budi
    assert (await http.post(f"{API}/items/{barcode}/found", headers=desk)).json()["code"] == "item_not_lost"


async def test_policies_and_closed_days_shape_the_due_date(http, books, desk):
    kid = (await register(http, desk, "Dimas", birth_year=today().year - 9, gender="L"))["member_number"]
    rules = (await http.get(f"{API}/libraries/{GONGGANG}/loan-policies", headers=desk)).json()
    assert rules["policies"]["anak"]["loan_days"] == 7 and rules["closed_weekdays"] == [7]
    changed = await http.put(
        f"{API}/libraries/{GONGGANG}/loan-policies/anak",
        headers=desk,
        json={"loan_days": 10, "max_open_loans": 2, "max_renewals": 1},
    )
    assert changed.status_code == 200 and changed.json()["policies"]["anak"]["loan_days"] == 10
    target = today() + dt.timedelta(days=10)
    closed = [target + dt.timedelta(days=n) for n in range(3)]
    calendar = await http.put(
        f"{API}/libraries/{GONGGANG}/calendar",
        headers=desk,
        json={"closed_weekdays": [], "closed_dates": [{"date": d.isoformat(), "reason": "Libur"} for d in closed]},
    )
    assert calendar.json()["closed_dates"] == [d.isoformat() for d in closed]
    loan = (await check_out(http, desk, books[BABAD][0], kid)).json()
    assert loan["due_date"] == (target + dt.timedelta(days=3)).isoformat()
    bad = await http.put(
        f"{API}/libraries/{GONGGANG}/calendar", headers=desk, json={"closed_weekdays": [1, 2, 3, 4, 5, 6, 7]}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "closed_weekdays_invalid")


async def test_an_isbn_written_as_on_the_back_cover_is_understood_for_holds_and_reads(http, books, desk):
    """Both services read ISBNs with the one rule of the shared kernel."""
    ani = (await register(http, desk, "Ani"))["member_number"]
    assert (await check_out(http, desk, books[BABAD][0], ani)).status_code == 201
    budi = (await register(http, desk, "Budi"))["member_number"]
    queued = await hold(http, desk, "ISBN 978-979-168-047-9", budi)
    assert queued.status_code == 201, queued.text
    assert queued.json()["isbn13"] == BABAD
    read = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "isbn13": "ISBN 978-979-168-047-9"})
    assert read.status_code == 201, read.text
    wrong = await hold(http, desk, "ISBN 978-979-168-047-8", budi)
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (422, "isbn_checksum", "isbn13")
