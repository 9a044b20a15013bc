"""Background rounds: a caller that needs the work done waits for a round that started after its call."""

import asyncio

from pustaka.rounds import Rounds


async def test_a_waiter_gets_a_round_that_started_after_it_asked():
    started: list[int] = []
    release = asyncio.Event()

    async def work(asked: bool) -> None:
        started.append(len(started) + 1)
        await release.wait()
        release.clear()

    rounds = Rounds("test", work, every=3600)
    rounds.start()
    try:
        rounds.wake()
        while not started:  # round 1 runs, and is held until released
            await asyncio.sleep(0)
        waiter = asyncio.create_task(rounds.next_round(timeout=5))
        await asyncio.sleep(0.05)
        release.set()  # round 1 ends: it started before the waiter asked, so the waiter keeps waiting
        await asyncio.sleep(0.05)
        assert not waiter.done() and started == [1, 2]
        release.set()  # round 2 ends
        assert await waiter is True
    finally:
        await rounds.stop()


async def test_a_failing_round_still_releases_its_waiters_and_a_stopped_one_none():
    async def work(asked: bool) -> None:
        raise RuntimeError("the catalogue is down")

    rounds = Rounds("test", work, every=3600)
    rounds.start()
    try:
        assert await rounds.next_round(timeout=5) is True
    finally:
        await rounds.stop()
    assert await rounds.next_round(timeout=5) is False


async def test_a_waiter_gives_up_after_its_timeout():
    async def work(asked: bool) -> None:
        await asyncio.sleep(3600)

    rounds = Rounds("test", work, every=3600)
    rounds.start()
    try:
        assert await rounds.next_round(timeout=0.1) is False
    finally:
        await rounds.stop()
