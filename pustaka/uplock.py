"""Which process serves a data folder: `pustaka up` holds an exclusive lock on `up.lock` while it runs, so a
restore can refuse to pull the database out from under it (the lock goes when the process dies)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_FILE = "up.lock"


def hold(data_dir: Path) -> int | None:
    """Take the lock for this process (kept until it exits); None when another process already holds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    return fd


def holder(data_dir: Path) -> int | None:
    """The pid of the `pustaka up` serving this data folder, or None."""
    path = data_dir / LOCK_FILE
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        raw = path.read_text().strip()
        return int(raw) if raw.isdigit() else -1
    finally:
        os.close(fd)
    return None
