"""What reporting needs from the side that writes its read model (circulation), as ports the composition
root fills in. Reporting never imports that side: it reads the tables and, when it finds work undone, asks
for a round of the background upkeep and waits for it (bounded), without writing anything itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import asyncpg

from kernel.clock import Clock, JakartaClock
from services.reporting.views import HeldTitle


class Freshness(Protocol):
    async def events_folded(self) -> None:
        """Return once every event committed before the call is in the rollups (or after a bounded wait)."""

    async def directory_fresh(self) -> None:
        """Return once the library directory and today's holdings snapshots are fresh (or after a bounded
        wait)."""


HeldTitles = Callable[[str], Awaitable[Sequence[HeldTitle]]]
"""Every title a library holds, from the catalogue (only the never_borrowed breakdown asks)."""


@dataclass(frozen=True, slots=True)
class ReadModel:
    """The connections a report reads with, and the ports (None: answer from what is there)."""

    pool: asyncpg.Pool
    freshness: Freshness | None = None
    held_titles: HeldTitles | None = None
    clock: Clock = field(default_factory=JakartaClock)
    """The day a report runs on (Asia/Jakarta; tests fix it)."""
