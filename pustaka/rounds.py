"""Background work done in rounds: every `every` seconds, or at once when woken. A caller that needs the
work's effect (a reader that wants every committed event folded) wakes it and waits for a round that
STARTED after its call to finish: a documented condition instead of a sleep, bounded by a timeout.

The round's work gets `asked=True` when someone woke it (rather than the timer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("pustaka.rounds")


class Rounds:
    def __init__(self, name: str, work: Callable[[bool], Awaitable[object]], every: float) -> None:
        self.name = name
        self._work = work
        self._every = every
        self._wake = asyncio.Event()
        self._finished = asyncio.Condition()
        self._started_rounds = 0
        self._finished_rounds = 0
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, *, at_once: bool = False) -> None:
        """Run the rounds in a task; `at_once`: the first round now (not asked), the next after `every`."""
        self._task = asyncio.create_task(self.run(at_once=at_once), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self, *, at_once: bool = False) -> None:
        """Forever: wait for the timer or a wake-up, then do one round (a failure is logged, and the round
        still counts as finished so that no waiter hangs on it)."""
        while True:
            if not at_once:
                try:
                    await asyncio.wait_for(self._wake.wait(), self._every)
                except TimeoutError:
                    pass
            at_once = False
            asked = self._wake.is_set()
            self._wake.clear()
            self._started_rounds += 1
            try:
                await self._work(asked)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - tried again next round
                log.exception("%s: a round failed", self.name)
            finally:
                self._finished_rounds += 1
                async with self._finished:
                    self._finished.notify_all()

    async def next_round(self, timeout: float) -> bool:
        """Wake the work and wait until a round that started after this call has finished; False when it
        is not running or did not finish within `timeout` seconds."""
        if not self.running:
            return False
        target = self._started_rounds + 1
        self.wake()
        try:
            async with asyncio.timeout(timeout):
                async with self._finished:
                    await self._finished.wait_for(lambda: self._finished_rounds >= target)
        except TimeoutError:
            return False
        return True
