"""Guessing a password: a few attempts per user and address, then growing waits (429 with Retry-After) that
parallel guesses cannot race past; a stranger's guesses never lock the real user out from elsewhere."""

from __future__ import annotations

import asyncio

import httpx

from services.circulation.staff import FIRST_DELAY_SECONDS, FREE_ATTEMPTS
from tests.circulation.conftest import API, GONGGANG
from tests.support import make_user


def _client(server: str, address: str) -> httpx.AsyncClient:
    """A client whose connections come from `address` (any 127.x.y.z reaches the loopback server)."""
    return httpx.AsyncClient(base_url=server, timeout=60, transport=httpx.AsyncHTTPTransport(local_address=address))


async def test_thirty_parallel_guesses_get_at_most_the_free_attempts_checked(server, magetan):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    start = asyncio.Event()

    async def guess(n: int) -> httpx.Response:
        async with _client(server, "127.0.0.3") as client:
            await client.get("/api/circulation/health")
            await start.wait()
            return await client.post(f"{API}/auth/login", json={"username": "sri", "password": f"tebakan-{n}"})

    tasks = [asyncio.create_task(guess(n)) for n in range(30)]
    await asyncio.sleep(0.3)
    start.set()
    answers = await asyncio.gather(*tasks)

    checked = [a for a in answers if a.status_code == 401]
    throttled = [a for a in answers if a.status_code == 429]
    assert len(checked) == FREE_ATTEMPTS and len(throttled) == 30 - FREE_ATTEMPTS
    assert {a.json()["code"] for a in throttled} == {"login_rate_limited"}
    assert all(int(a.headers["retry-after"]) >= 1 for a in throttled)
    async with _client(server, "127.0.0.3") as client:  # even the right password waits, from that address
        locked = await client.post(f"{API}/auth/login", json={"username": "sri", "password": "rahasia-sri"})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1


async def test_a_stranger_cannot_lock_the_librarian_out_from_her_own_desk(server, magetan):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    async with _client(server, "127.0.0.4") as stranger:
        for n in range(FREE_ATTEMPTS + 3):
            await stranger.post(f"{API}/auth/login", json={"username": "sri", "password": f"tebakan-{n}"})
        assert (await stranger.post(f"{API}/auth/login", json={"username": "sri", "password": "x"})).status_code == 429

    async with _client(server, "127.0.0.5") as desk:
        answer = await desk.post(f"{API}/auth/login", json={"username": "sri", "password": "rahasia-sri"})

    assert answer.status_code == 200, answer.text


async def test_the_wait_doubles_with_each_further_failure(server, magetan, pool):
    await make_user(magetan, "sri", "librarian", GONGGANG)
    waits = []
    async with _client(server, "127.0.0.6") as client:
        for _ in range(3):
            for _ in range(FREE_ATTEMPTS + 1):
                answer = await client.post(f"{API}/auth/login", json={"username": "sri", "password": "salah-terus"})
                if answer.status_code == 429:
                    waits.append(int(answer.headers["retry-after"]))
                    break
            async with pool.acquire() as conn:  # the wait is over (instead of sleeping through it)
                await conn.execute("UPDATE circulation.login_throttle SET locked_until = now()")
    expected = [FIRST_DELAY_SECONDS, 2 * FIRST_DELAY_SECONDS, 4 * FIRST_DELAY_SECONDS]
    # Retry-After counts down from the moment of the locking attempt (a slow machine loses a second or two)
    assert all(full - 3 <= wait <= full for wait, full in zip(waits, expected)) and len(waits) == 3, waits
