"""Holds (title-level requests per library), in FOLIO's vocabulary, and the queue's rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pustaka.errors import Conflict

NOT_YET_FILLED = "open-not-yet-filled"
AWAITING_PICKUP = "open-awaiting-pickup"
FILLED = "closed-filled"
CANCELLED = "closed-cancelled"
PICKUP_EXPIRED = "closed-pickup-expired"
OPEN = (NOT_YET_FILLED, AWAITING_PICKUP)
STATUSES = (NOT_YET_FILLED, AWAITING_PICKUP, FILLED, CANCELLED, PICKUP_EXPIRED)


@dataclass(frozen=True, slots=True)
class HoldState:
    id: int
    member_id: int
    status: str
    pickup_by: dt.date | None = None


def ensure_can_cancel(hold: HoldState) -> None:
    """Only an open hold can be cancelled."""
    if hold.status not in OPEN:
        raise Conflict(
            "hold_closed",
            f"hold {hold.id} is already {hold.status}",
            field="hold_id",
            extra={"hold_status": hold.status},
        )


def pickup_expired(hold: HoldState, today: dt.date) -> bool:
    """A copy waits on the hold shelf up to and including its pickup day."""
    return hold.status == AWAITING_PICKUP and hold.pickup_by is not None and hold.pickup_by < today


def next_in_queue(queue: list[HoldState]) -> HoldState | None:
    """The hold a returned copy goes to: the oldest not yet filled (the queue arrives in placing order)."""
    return next((h for h in queue if h.status == NOT_YET_FILLED), None)
