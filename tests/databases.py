"""Databases of the tests: copies of the session's migrated template (tests/conftest.py
`template_database`), and their dropping."""

from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlparse

import asyncpg

from pustaka.config import Settings
from pustaka.database import drop_database, server_url, with_database

TESTS_APPLICATION = "pustaka-tests"
"""How the tests' own connections (the `pool` fixture) name themselves to PostgreSQL."""


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


async def copy_of_template(settings: Settings, template: str, prefix: str = "pustaka_test") -> str:
    """A new database holding the migrated, empty schema (PostgreSQL copies the template's files); its URL."""
    server = server_url(settings)
    name = unique_name(prefix)
    admin = await asyncpg.connect(with_database(server, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return with_database(server, name)


class Dropper:
    """Drops the databases of finished modules one after another in the background: DROP DATABASE forces a
    checkpoint, which the next module need not wait for."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.tasks: list[asyncio.Task] = []

    def drop(self, url: str) -> None:
        before = self.tasks[-1] if self.tasks else None

        async def drop_after() -> None:
            if before is not None:
                await asyncio.wait([before])
            await drop_database(self.server, urlparse(url).path.lstrip("/"))

        self.tasks.append(asyncio.create_task(drop_after(), name="test-drop-database"))

    async def finish(self) -> None:
        for task in self.tasks:
            await task  # a database that could not be dropped fails the session's teardown
