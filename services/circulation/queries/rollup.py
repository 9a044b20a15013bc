"""Folding the event log into the statistics rollups (rollup.sql): the watermark, the batch staged in
temporary tables and the steps that fold it, run in sequence in one transaction."""

from __future__ import annotations

from pustaka.sql import load

Q = load(__file__, "rollup.sql")

lock_watermark = Q.value("lock_watermark", int)
"""The last event id folded, the watermark row locked (None: no row)."""
watermark = Q.value("watermark", int)
"""The last event id folded, without a lock (None: no row)."""
create_watermark = Q.execute("create_watermark")
newer = Q.value("newer", bool)
"""Whether events above the id `after` exist."""
wait_for_writers = Q.execute("wait_for_writers")
release_writers = Q.execute("release_writers")
highest = Q.value("highest", int)
stage_batch = Q.execute("stage_batch")
"""Stage the events with ids in (`low`, `high`]; the status says how many."""
fold_steps = tuple(
    Q.execute(name)
    for name in (
        "stage_delta",
        "stage_loans",
        "delta_loans",
        "upsert_loans",
        "fold_daily",
        "fold_monthly",
        "fold_borrowers",
        "fold_titles_used",
        "fold_title_daily",
        "fold_title_monthly",
    )
)
"""The staged batch folded into every rollup, in this order."""
advance = Q.execute("advance")
"""The watermark moved to `last_id`, `folded` more events counted."""
clear = Q.execute("clear")
reset_watermark = Q.execute("reset_watermark")
drop_stage = Q.execute("drop_stage")
backlog = Q.value("backlog", int)
"""How many events wait to be folded (an estimate from ids)."""
