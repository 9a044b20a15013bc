"""Where the embedded index lives on disk, and how far it has applied the outbox.

Layout, in `<data folder>/search/<database name>/`: one folder per built generation (`g-<uuid>`), the
name of the live one in `current`, and in each generation `position.json` with the generation's key, the
last outbox row it applied, and how its words were analysed (search/morphology.py fingerprint: an index
stemmed by other rules or roots is rebuilt, not reopened). The database keeps the last drain too
(`catalog.search_index_state`: who drained, up to which row), written in the same transaction that deletes
the drained rows. At start the
saved index is reused only when the database's last drain is this generation's own last drain: nobody
else drained since (another process, a Meilisearch indexer), and no drain of ours was lost half-way.
Changes made while the process was down are still in the outbox and are drained after the reuse.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Saved:
    """A generation on disk: its folder, its key (`embedded:<uuid>`), and the outbox row it applied last."""

    folder: Path
    key: str
    position: int


def index_root(data_dir: Path, database: str) -> Path:
    return data_dir / "search" / database


def new_generation(root: Path) -> tuple[Path, str]:
    name = f"g-{uuid.uuid4().hex}"
    folder = root / name
    folder.mkdir(parents=True)
    return folder, f"embedded:{name}"


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def record(folder: Path, key: str, position: int, words: str = "") -> None:
    """Remember the last outbox row this generation applied (after its index commit); `words` names how
    its documents' words were analysed (search/morphology.py fingerprint)."""
    _write_atomically(folder / "position.json", json.dumps({"key": key, "position": position, "words": words}))


def make_current(root: Path, folder: Path) -> None:
    """Point `current` at this generation and remove the others."""
    _write_atomically(root / "current", folder.name)
    for other in root.iterdir():
        if other.is_dir() and other.name.startswith("g-") and other != folder:
            shutil.rmtree(other, ignore_errors=True)


def saved(root: Path, words: str = "") -> Saved | None:
    """The live generation on disk, or None (never built, its files incomplete, or its words analysed
    otherwise than `words` says they are now)."""
    try:
        folder = root / (root / "current").read_text(encoding="utf-8").strip()
        meta = json.loads((folder / "position.json").read_text(encoding="utf-8"))
        if meta.get("words", "") != words:
            return None
        return Saved(folder=folder, key=str(meta["key"]), position=int(meta["position"]))
    except (OSError, ValueError, KeyError, AttributeError):
        return None


def forget_other_databases(data_dir: Path, databases: set[str]) -> None:
    """Remove the saved indexes of databases that no longer exist (e.g. test databases dropped)."""
    parent = data_dir / "search"
    if parent.is_dir():
        for folder in parent.iterdir():
            if folder.is_dir() and folder.name not in databases:
                shutil.rmtree(folder, ignore_errors=True)
