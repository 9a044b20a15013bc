"""The outbox of item status changes on their way to the catalogue (relay.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "relay.sql")


class OutboxRow(msgspec.Struct):
    id: int
    barcode: str
    status: str


class ReplicaLibrary(msgspec.Struct):
    library_code: str


relay_lock = Q.value("relay_lock", bool)
"""Whether this connection took the relay's lock (another relay holds it otherwise)."""
relay_wait_lock = Q.execute("relay_wait_lock")
relay_unlock = Q.execute("relay_unlock")
outbox_batch = Q.all("outbox_batch", OutboxRow)
outbox_sent = Q.execute("outbox_sent")
reconcile = Q.execute("reconcile")
"""Queue again the copies whose status drifted; the command tag says how many."""
outbox_failed = Q.execute("outbox_failed")
outbox_pending = Q.value("outbox_pending", int)
replica_libraries = Q.all("replica_libraries", ReplicaLibrary)
note_catalog_statuses = Q.execute("note_catalog_statuses")
