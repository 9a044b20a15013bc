"""The desk's day: refusals that say why (renewal too early, on loan to whom until when, another library's
copy), today's transactions of the whole library and the day's summary, all by Asia/Jakarta dates."""

import asyncio
import datetime as dt

from services.circulation.clock import today
from tests.circulation.conftest import API, GONGGANG, SOMBO, check_in, check_out, register
from tests.support import token_for

AKAR_WANGI = "9789794139219"  # one copy
BABAD = "9789791680479"  # two copies
FISIKA = "9789797312947"  # three copies
WEDNESDAY = dt.date(2026, 11, 25)


async def loan_row(pool, loan_id: int):
    async with pool.acquire() as conn:
        return await conn.fetchrow("SELECT due_date, renewals FROM circulation.loans WHERE id = $1", loan_id)


async def test_renewing_on_the_loan_day_is_refused_and_uses_no_renewal(http, clock, books, desk, pool):
    clock.set(WEDNESDAY)
    ani = (await register(http, desk, "Ani"))["member_number"]
    loan = (await check_out(http, desk, books[BABAD][0], ani)).json()
    refused = await http.post(f"{API}/loans/{loan['loan_id']}/renewals", headers=desk)
    assert refused.status_code == 409
    assert {k: refused.json()[k] for k in ("code", "field", "due_date")} == {
        "code": "renewal_would_not_extend",
        "field": "loan_id",
        "due_date": loan["due_date"],
    }
    by_barcode = await http.post(f"{API}/renewals", headers=desk, json={"item_barcode": books[BABAD][0]})
    assert (by_barcode.status_code, by_barcode.json()["code"]) == (409, "renewal_would_not_extend")
    row = await loan_row(pool, loan["loan_id"])
    assert (row["due_date"].isoformat(), row["renewals"]) == (loan["due_date"], 0)

    # Ten days later (the loan moved back in time) a renewal moves the due date and names title and member.
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $2 WHERE id = $1",
            loan["loan_id"],
            WEDNESDAY + dt.timedelta(days=4),
        )
    renewed = await http.post(f"{API}/renewals", headers=desk, json={"item_barcode": books[BABAD][0]})
    assert renewed.status_code == 200, renewed.text
    body = renewed.json()
    assert (
        body["loan_id"],
        body["renewals"],
        body["renewals_left"],
        body["title"],
        body["member_name"],
        body["member_number"],
    ) == (loan["loan_id"], 1, 1, "Babad Tanah Jawi", "Ani", ani)
    assert body["previous_due_date"] == (WEDNESDAY + dt.timedelta(days=4)).isoformat()
    assert (loan["due_date"], body["due_date"]) == ("2026-12-09", "2026-12-09")  # 14 days from the renewal day
    not_lent = await http.post(f"{API}/renewals", headers=desk, json={"item_barcode": books[BABAD][1]})
    assert (not_lent.status_code, not_lent.json()["code"], not_lent.json()["item_status"]) == (
        409,
        "item_not_on_loan",
        "available",
    )


async def test_a_refusal_says_until_when_and_whose_copy(http, books, desk, magetan):
    ani = (await register(http, desk, "Ani"))["member_number"]
    budi = (await register(http, desk, "Budi"))["member_number"]
    loan = (await check_out(http, desk, books[AKAR_WANGI][0], ani)).json()
    for member, same in ((budi, False), (ani, True)):
        refused = await check_out(http, desk, books[AKAR_WANGI][0], member)
        assert refused.status_code == 409
        assert {k: refused.json()[k] for k in ("code", "item_status", "due_date", "same_member")} == {
            "code": "item_not_available",
            "item_status": "on_loan",
            "due_date": loan["due_date"],
            "same_member": same,
        }
    back = (await check_in(http, desk, books[AKAR_WANGI][0])).json()
    assert (back["title"], back["member_name"], back["member_number"]) == ("Akar wangi", "Ani", ani)

    # Sombo's librarian scans a copy of Gonggang: told whose copy it is, by name, not "not allowed".
    joko = await token_for(http, magetan, "joko", "librarian", SOMBO)
    sombo_member = (await register(http, joko, "Wati", library=SOMBO))["member_number"]
    for answer in (
        await check_out(http, joko, books[BABAD][0], sombo_member),
        await check_in(http, joko, books[AKAR_WANGI][0]),
        await http.get(f"{API}/items/{books[AKAR_WANGI][0]}", headers=joko),
    ):
        assert answer.status_code == 403, answer.text
        assert {k: answer.json()[k] for k in ("code", "library", "library_name")} == {
            "code": "item_of_other_library",
            "library": GONGGANG,
            "library_name": "Perpustakaan Desa Gonggang",
        }


async def test_today_s_transactions_come_from_the_server_for_every_desk(http, books, desk, magetan):
    ani = (await register(http, desk, "Ani Rahayu"))["member_number"]
    admin = await token_for(http, magetan, "root", "admin")
    first = (await check_out(http, desk, books[BABAD][0], ani)).json()
    await check_out(http, admin, books[FISIKA][0], ani)  # another desk of the same library
    await check_in(http, desk, books[BABAD][0])
    await check_out(http, desk, books[BABAD][1], "3520012002-999999")  # refused: not a transaction
    answer = await http.get(f"{API}/libraries/{GONGGANG}/transactions", headers=desk)
    assert answer.status_code == 200
    day = answer.json()
    assert day["date"] == today().isoformat() and day["library"] == GONGGANG
    assert [
        (t["action"], t["item_barcode"], t["title"], t["member_name"], t["member_number"], t["actor"])
        for t in day["transactions"]
    ] == [
        ("checked_in", books[BABAD][0], "Babad Tanah Jawi", "Ani Rahayu", ani, "sri"),
        (
            "checked_out",
            books[FISIKA][0],
            "Paket pembelajaran fisika SMA kelas X semester 2",
            "Ani Rahayu",
            ani,
            "root",
        ),
        ("checked_out", books[BABAD][0], "Babad Tanah Jawi", "Ani Rahayu", ani, "sri"),
    ]
    assert day["transactions"][2]["due_date"] == first["due_date"]
    assert day["transactions"][0]["at"].endswith("+07:00")
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    assert (
        await http.get(f"{API}/libraries/{GONGGANG}/transactions", params={"date": yesterday}, headers=desk)
    ).json()["transactions"] == []
    joko = await token_for(http, magetan, "joko", "librarian", SOMBO)
    elsewhere = await http.get(f"{API}/libraries/{GONGGANG}/transactions", headers=joko)
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "forbidden")
    district = await token_for(http, magetan, "dinas", "district", "35.20")
    assert (await http.get(f"{API}/libraries/{GONGGANG}/day-summary", headers=district)).status_code == 403
    bad = await http.get(f"{API}/libraries/{GONGGANG}/transactions", params={"date": "26-11-2026"}, headers=desk)
    assert bad.status_code == 400


async def test_a_day_is_a_jakarta_day(http, books, desk, pool):
    """00:30 in Magetan on 11 March is 17:30 UTC on 10 March: it belongs to 11 March."""
    ani = await register(http, desk, "Ani")
    async with pool.acquire() as conn:
        member_id = await conn.fetchval(
            "SELECT id FROM circulation.members WHERE member_number = $1", ani["member_number"]
        )
        await check_out(http, desk, books[BABAD][0], ani["member_number"])  # the copy is now in the replica
        for at, kind in (
            ("2026-03-10T16:59:00+00:00", "checked_out"),
            ("2026-03-10T17:30:00+00:00", "checked_in"),
            ("2026-03-10T18:00:00+00:00", "renewed"),
            ("2026-03-11T17:00:00+00:00", "checked_out"),
        ):
            await conn.execute(
                "INSERT INTO circulation.events (at, type, actor, library_code, member_id, barcode) "
                "VALUES ($1, $2, 'sri', $3, $4, $5)",
                dt.datetime.fromisoformat(at),
                kind,
                GONGGANG,
                member_id,
                books[BABAD][0],
            )
    day = (
        await http.get(f"{API}/libraries/{GONGGANG}/transactions", params={"date": "2026-03-11"}, headers=desk)
    ).json()
    assert [(t["at"], t["action"]) for t in day["transactions"]] == [
        ("2026-03-11T01:00:00+07:00", "renewed"),
        ("2026-03-11T00:30:00+07:00", "checked_in"),
    ]
    before = (
        await http.get(f"{API}/libraries/{GONGGANG}/transactions", params={"date": "2026-03-10"}, headers=desk)
    ).json()
    assert [(t["at"], t["member_name"], t["title"]) for t in before["transactions"]] == [
        ("2026-03-10T23:59:00+07:00", "Ani", "Babad Tanah Jawi")
    ]
    summary = (
        await http.get(f"{API}/libraries/{GONGGANG}/day-summary", params={"date": "2026-03-11"}, headers=desk)
    ).json()
    assert {k: summary[k] for k in ("loans", "returns", "renewals")} == {"loans": 0, "returns": 1, "renewals": 1}


async def test_the_day_summary_counts_loans_returns_renewals_visits_and_new_members(http, books, desk, pool):
    day = today().isoformat()
    ani, budi, citra = [(await register(http, desk, name))["member_number"] for name in ("Ani", "Budi", "Citra")]
    loans = [
        (await check_out(http, desk, barcode, who)).json()
        for barcode, who in ((books[BABAD][0], ani), (books[FISIKA][0], budi), (books[FISIKA][1], citra))
    ]
    await check_in(http, desk, books[FISIKA][0])
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $2 WHERE id = $1",
            loans[0]["loan_id"],
            today() + dt.timedelta(days=2),
        )
    assert (await http.post(f"{API}/loans/{loans[0]['loan_id']}/renewals", headers=desk)).status_code == 200
    for tally in ({"member_visits": 4, "non_member_visits": 2}, {"member_visits": 1, "non_member_visits": 0}):
        answer = await http.post(f"{API}/visits", headers=desk, json={"library": GONGGANG, "date": day, **tally})
        assert answer.status_code == 201, answer.text
    assert (
        await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "item_barcode": books[AKAR_WANGI][0]})
    ).status_code == 201
    assert (
        await http.post(
            f"{API}/activities",
            headers=desk,
            json={"library": GONGGANG, "date": day, "title": "Mendongeng", "kind": "bercerita", "participants": 12},
        )
    ).status_code == 201
    summary = (await http.get(f"{API}/libraries/{GONGGANG}/day-summary", headers=desk)).json()
    assert summary == {
        "library": GONGGANG,
        "date": day,
        "loans": 3,
        "returns": 1,
        "renewals": 1,
        "visits": 7,
        "member_visits": 5,
        "non_member_visits": 2,
        "new_members": 3,
        "reads_onsite": 1,
        "activities": 1,
        "activity_participants": 12,
    }
    empty = (
        await http.get(f"{API}/libraries/{GONGGANG}/day-summary", params={"date": "2026-01-05"}, headers=desk)
    ).json()
    assert [empty[k] for k in ("loans", "returns", "renewals", "visits", "new_members", "activities")] == [0] * 6


async def test_desks_renewing_one_copy_at_once_renew_it_once(http, books, desk, pool):
    """Five desks (or a resent offline queue) renew the same copy at the same moment: one renewal."""
    ani = (await register(http, desk, "Ani"))["member_number"]
    loan = (await check_out(http, desk, books[BABAD][0], ani)).json()
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $2 WHERE id = $1", loan["loan_id"], today() + dt.timedelta(days=1)
        )
    answers = await asyncio.gather(
        *(http.post(f"{API}/renewals", headers=desk, json={"item_barcode": books[BABAD][0]}) for _ in range(5))
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"renewal_would_not_extend"}
    assert (await loan_row(pool, loan["loan_id"]))["renewals"] == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'renewed'") == 1
