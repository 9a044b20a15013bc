"""A reader of the embedded index that another process writes (`pustaka up --workers N`: the first process
writes, the others follow).

Tantivy allows one writer per index, and any number of readers, also in other processes. A follower opens
the generation that `current` names (search/persisted.py) read-only, and every `poll_seconds` looks whether
the writer committed (the index's `meta.json` changed: reload the searcher) or swapped in a rebuilt
generation (`current` names another folder: open that one). A change is thus searchable here within
about `poll_seconds` of the writer's commit; a reload that fails (the writer removed a merged segment's
files just then) is tried again at the next look. The follower never writes: the index, the outbox and
the record of the last drain belong to the writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from search import persisted
from search.embedded import EmbeddedBackend, words_fingerprint

log = logging.getLogger("pustaka.search")


class Follower:
    """Keeps a read-only EmbeddedBackend on the writer's live generation; `ready` once one is open."""

    def __init__(self, backend: EmbeddedBackend, poll_seconds: float = 0.2) -> None:
        if backend.folder is None:
            raise ValueError("a follower follows an index kept on disk")
        self.backend, self.root, self.poll_seconds = backend, backend.folder, poll_seconds
        self.ready = False
        """True once a generation is open: searches may use it (PostgreSQL answers until then)."""
        self._folder: Path | None = None
        self._seen: int | None = None

    def step(self) -> bool:
        """Look once; True when the searcher changed (another generation opened, or reloaded)."""
        saved = persisted.saved(self.root, words_fingerprint())
        if saved is None:  # none yet, or of another layout: the writer is building one
            return False
        meta = saved.folder / "meta.json"
        try:
            seen = meta.stat().st_mtime_ns
        except OSError:
            return False
        if saved.folder != self._folder:
            self.backend.open_read_only(saved)
            self._folder, self._seen, self.ready = saved.folder, seen, True
            log.info("search: following the index %s", saved.folder.name)
            return True
        if seen != self._seen:
            self.backend.reload()
            self._seen = seen
            return True
        return False

    async def run(self) -> None:
        """Follow until cancelled."""
        while True:
            try:
                await asyncio.to_thread(self.step)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. a segment merged away mid-reload: look again
                log.debug("search follower: %s; looking again", exc)
            await asyncio.sleep(self.poll_seconds)


async def follow(backend: EmbeddedBackend) -> tuple[Follower, asyncio.Task]:
    """Open the live generation now if there is one, and keep following it in the background."""
    follower = Follower(backend)
    with contextlib.suppress(Exception):
        await asyncio.to_thread(follower.step)
    return follower, asyncio.create_task(follower.run(), name="search-follower")
