"""Numbered plain-SQL migrations, each applied once, in its own transaction, and recorded.

Each service keeps its files in `services/<service>/migrations/NNN_name.sql`. Services migrate in a fixed
order (the catalogue first); an advisory lock lets several processes start at once safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from pustaka.config import Settings
from pustaka.database import application_url, ensure_database

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"
COMPONENTS = ("catalog", "circulation")
_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x50555354  # "PUST"


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    path: Path


def discover(services_dir: Path = SERVICES_DIR) -> list[Migration]:
    """All migration files, in the order they must be applied."""
    found: list[Migration] = []
    for component in COMPONENTS:
        folder = services_dir / component / "migrations"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.sql")):
            match = _FILE.match(path.name)
            if not match:
                raise ValueError(f"migration file {path} is not named NNN_name.sql")
            found.append(Migration(component, int(match[1]), match[2], path))
    return found


_LEDGER = """
CREATE TABLE IF NOT EXISTS public.schema_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)
"""


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply pending migrations; return the names of those applied now."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(_LEDGER)
        rows = await conn.fetch("SELECT component, version FROM public.schema_migrations")
        done = {(r["component"], r["version"]) for r in rows}
        for m in discover():
            if (m.component, m.version) in done:
                continue
            async with conn.transaction():
                await conn.execute(m.path.read_text(encoding="utf-8"))
                await conn.execute(
                    "INSERT INTO public.schema_migrations (component, version, name) VALUES ($1, $2, $3)",
                    m.component,
                    m.version,
                    m.name,
                )
            applied_now.append(f"{m.component}/{m.path.name}")
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now


async def prepare_database(settings: Settings) -> str:
    """Start/join the server, create the database if needed, apply migrations; return the database URL."""
    url = application_url(settings)
    await ensure_database(url)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url
