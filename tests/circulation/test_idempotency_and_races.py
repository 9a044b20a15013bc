"""Many desks at once: 64 real HTTP clients race for the same copies; retried requests are replayed."""

import asyncio
import uuid

import httpx

from tests.circulation.conftest import API, check_in, check_out, register


async def test_64_clients_racing_for_the_same_copies_make_exactly_one_loan_per_copy(server, http, books, desk, pool):
    members = [(await register(http, desk, f"Anggota {n}", birth_year=1990))["member_number"] for n in range(64)]
    barcodes = [b for copies in books.values() for b in copies]
    start = asyncio.Event()

    async def desk_client(member: str) -> list[tuple[str, int, str | None]]:
        async with httpx.AsyncClient(base_url=server, timeout=60) as client:
            await start.wait()
            results = []
            for barcode in barcodes:
                answer = await check_out(client, desk, barcode, member)
                results.append((barcode, answer.status_code, answer.json().get("code")))
            return results

    tasks = [asyncio.create_task(desk_client(m)) for m in members]
    await asyncio.sleep(0.2)
    start.set()
    outcomes = [r for rs in await asyncio.gather(*tasks) for r in rs]
    won = [barcode for barcode, status, _ in outcomes if status == 201]
    assert sorted(won) == sorted(barcodes)  # every copy lent exactly once
    assert {(s, c) for _, s, c in outcomes if s != 201} <= {(409, "item_not_available"), (409, "loan_limit_reached")}
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.loans WHERE status = 'open'") == len(barcodes)
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM (SELECT barcode FROM circulation.loans WHERE status = 'open'"
                " GROUP BY barcode HAVING count(*) > 1) AS doubled"
            )
            == 0
        )
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'checked_out'") == len(
            barcodes
        )


async def test_a_copy_cannot_be_on_two_open_loans_even_if_the_code_tried(books, http, desk, pool):
    member = (await register(http, desk))["member_number"]
    barcode = books["9789791680479"][0]
    await check_out(http, desk, barcode, member)
    async with pool.acquire() as conn:
        member_id = await conn.fetchval("SELECT id FROM circulation.members")
        try:
            await conn.execute(
                "INSERT INTO circulation.loans (barcode, library_code, member_id, due_date, created_by)"
                " VALUES ($1, '35.20.01.2002', $2, current_date, 'test')",
                barcode,
                member_id,
            )
        except Exception as exc:  # noqa: BLE001
            assert "loans_one_open_per_copy" in str(exc)
        else:
            raise AssertionError("the database accepted a second open loan of one copy")


async def test_a_retried_check_out_is_replayed_and_records_nothing_new(http, books, desk, pool):
    member = (await register(http, desk))["member_number"]
    barcode = books["9789791680479"][0]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await check_out(http, {**desk, **key}, barcode, member)
    again = await check_out(http, {**desk, **key}, barcode, member)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.loans") == 1
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'checked_out'") == 1
    other = await check_out(http, {**desk, **key}, books["9789791680479"][1], member)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    concurrent_key = {"Idempotency-Key": str(uuid.uuid4())}
    back = await asyncio.gather(
        *(
            http.post(f"{API}/returns", headers={**desk, **concurrent_key}, json={"item_barcode": barcode})
            for _ in range(8)
        )
    )
    assert {a.status_code for a in back} == {200} and len({a.text for a in back}) == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'checked_in'") == 1
    registered = [
        await http.post(
            f"{API}/members",
            headers={**desk, "Idempotency-Key": "member-1"},
            json={"name": "Ani", "library": "35.20.01.2002", "birth_year": 1990, "gender": "P"},
        )
        for _ in range(2)
    ]
    assert registered[0].json() == registered[1].json()
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.members") == 2
    assert (await check_in(http, desk, barcode)).json()["code"] == "item_not_on_loan"
