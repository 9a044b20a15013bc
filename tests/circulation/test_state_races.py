"""Twenty desks press the same button at the same moment: every state change has exactly one winner and one
event (return, renewal, lost, found, hold pickup and expiry, a rejected row fixed in the review list)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import asyncpg
import httpx

from services.circulation import clock, holds
from tests.circulation.conftest import API, GONGGANG, check_in, check_out, register

RACERS = 20
TITLE = "9789791680479"


async def _race(server: str, request) -> list[httpx.Response]:
    """Send RACERS copies of one request from RACERS clients of their own, released together."""
    start = asyncio.Event()

    async def one() -> httpx.Response:
        async with httpx.AsyncClient(base_url=server, timeout=60) as client:
            await client.get("/api/circulation/health")  # connected before the start signal
            await start.wait()
            return await request(client)

    tasks = [asyncio.create_task(one()) for _ in range(RACERS)]
    await asyncio.sleep(0.3)
    start.set()
    return await asyncio.gather(*tasks)


def _outcomes(answers: list[httpx.Response]) -> Counter:
    return Counter((a.status_code, a.json().get("code") if a.status_code >= 400 else None) for a in answers)


async def _events(pool: asyncpg.Pool, kind: str) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = $1", kind)


async def test_twenty_simultaneous_returns_of_one_copy_count_as_one_return(server, http, books, desk, admin, pool):
    member = (await register(http, desk))["member_number"]
    barcode = books[TITLE][0]
    assert (await check_out(http, desk, barcode, member)).status_code == 201

    answers = await _race(server, lambda c: check_in(c, desk, barcode))

    assert _outcomes(answers) == {(200, None): 1, (409, "item_not_on_loan"): RACERS - 1}
    assert await _events(pool, "checked_in") == 1
    today = clock.today().isoformat()
    stats = await http.get(
        f"{API}/stats",
        headers=admin,
        params={"scope": f"library:{GONGGANG}", "from": today, "to": today, "group_by": "day"},
    )
    assert stats.status_code == 200, stats.text
    assert [g["indicators"]["returns"] for g in stats.json()["groups"]] == [1]
    assert (await http.get(f"{API}/items/{barcode}", headers=desk)).json()["status"] == "available"


async def test_twenty_simultaneous_renewals_stop_at_the_policy_limit(server, http, books, desk, pool):
    member = (await register(http, desk))["member_number"]
    loan = (await check_out(http, desk, books[TITLE][0], member)).json()
    async with pool.acquire() as conn:  # renewed once before, and due tomorrow: one more renewal is allowed
        await conn.execute(
            "UPDATE circulation.loans SET renewals = 1, due_date = $2 WHERE id = $1",
            loan["loan_id"],
            clock.today() + dt.timedelta(days=1),
        )

    answers = await _race(server, lambda c: c.post(f"{API}/loans/{loan['loan_id']}/renewals", headers=desk))

    assert _outcomes(answers) == {(200, None): 1, (409, "renewals_exhausted"): RACERS - 1}
    assert [a.json()["renewals"] for a in answers if a.status_code == 200] == [2]
    assert await _events(pool, "renewed") == 1


async def test_twenty_simultaneous_lost_reports_close_the_loan_once(server, http, books, desk, pool):
    member = (await register(http, desk))["member_number"]
    barcode = books[TITLE][0]
    await check_out(http, desk, barcode, member)

    answers = await _race(server, lambda c: c.post(f"{API}/items/{barcode}/lost", headers=desk))

    assert _outcomes(answers) == {(200, None): 1, (409, "item_already_lost"): RACERS - 1}
    assert await _events(pool, "item_lost") == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.loans WHERE closed_reason = 'lost'") == 1

    found = await _race(server, lambda c: c.post(f"{API}/items/{barcode}/found", headers=desk))

    assert _outcomes(found) == {(200, None): 1, (409, "item_not_lost"): RACERS - 1}
    assert await _events(pool, "item_found") == 1


async def test_a_held_copy_is_picked_up_once_and_its_hold_filled_once(server, http, books, desk, pool):
    barcodes = books[TITLE]
    borrower = (await register(http, desk, "Peminjam"))["member_number"]
    waiting = (await register(http, desk, "Penunggu"))["member_number"]
    for barcode in barcodes:
        assert (await check_out(http, desk, barcode, borrower)).status_code == 201
    placed = await http.post(
        f"{API}/holds", headers=desk, json={"isbn13": TITLE, "member_number": waiting, "library": GONGGANG}
    )
    assert placed.status_code == 201, placed.text
    back = await check_in(http, desk, barcodes[0])
    assert back.json()["hold_waiting"]["member_number"] == waiting

    answers = await _race(server, lambda c: check_out(c, desk, barcodes[0], waiting))

    assert _outcomes(answers) == {(201, None): 1, (409, "item_not_available"): RACERS - 1}
    assert await _events(pool, "hold_filled") == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM circulation.holds") == "closed-filled"


async def test_uncollected_holds_expire_once_when_several_expiry_runs_overlap(
    http, books, desk, pool, clock, circulation
):
    barcodes = books[TITLE]
    borrower = (await register(http, desk, "Peminjam"))["member_number"]
    waiting = [(await register(http, desk, f"Penunggu {n}"))["member_number"] for n in range(2)]
    for barcode in barcodes:
        await check_out(http, desk, barcode, borrower)
    for member in waiting:
        await http.post(
            f"{API}/holds", headers=desk, json={"isbn13": TITLE, "member_number": member, "library": GONGGANG}
        )
    await check_in(http, desk, barcodes[0])
    clock.set(clock.today() + dt.timedelta(days=30))

    runs = await asyncio.gather(*(holds.expire_holds(circulation, "system") for _ in range(8)))

    assert sum(len(r) for r in runs) == 1
    assert await _events(pool, "hold_expired") == 1
    assert await _events(pool, "hold_awaiting_pickup") == 2  # the first member, then the next in the queue


async def test_a_rejected_row_fixed_by_twenty_desks_at_once_adds_its_copies_once(server, http, magetan, pool):
    from tests.support import token_for

    headers = await token_for(http, magetan, "katalog", "librarian", GONGGANG)
    manifest = b"ISBN;Judul;Pengarang;Jumlah\n978-602-03-3295-6;Laskar Pelangi;Andrea Hirata;1\n12345;Rusak;X;2\n"
    uploaded = await http.post(
        f"/api/catalog/v1/libraries/{GONGGANG}/packages",
        headers=headers,
        files={"file": ("paket.csv", manifest, "text/csv")},
    )
    assert uploaded.status_code == 201, uploaded.text
    package = uploaded.json()["package_id"]
    rejection = (await http.get(f"/api/catalog/v1/packages/{package}/rejections")).json()[0]["id"]
    fix = {"values": {"isbn": "978-979-756-836-8"}}

    answers = await _race(
        server,
        lambda c: c.post(
            f"/api/catalog/v1/packages/{package}/rejections/{rejection}/resubmissions", headers=headers, json=fix
        ),
    )

    assert _outcomes(answers) == {(201, None): 1, (409, "rejection_resolved"): RACERS - 1}
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM catalog.items WHERE package_id = $1", package) == 3
