"""Idempotency-Key for POSTs: a replay returns the first answer and records nothing new.

The key row is inserted in the same transaction as the change; a concurrent request with the same key
waits on the primary key until the first commits, then finds its stored answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import asyncpg

from pustaka.errors import Invalid

_SCHEMAS = {"catalog", "circulation"}


@dataclass(slots=True)
class Replay:
    status: int
    body: bytes


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _check_key(key: str) -> str:
    key = key.strip()
    if not 1 <= len(key) <= 200:
        raise Invalid("idempotency_key_invalid", "Idempotency-Key must be 1 to 200 characters", field="Idempotency-Key")
    return key


async def claim(conn: asyncpg.Connection, schema: str, actor: str, key: str, print_: str) -> Replay | None:
    """Claim the key inside the caller's transaction; return the stored answer if it was used before."""
    assert schema in _SCHEMAS
    key = _check_key(key)
    inserted = await conn.fetchval(
        f"INSERT INTO {schema}.idempotency_keys (actor, key, fingerprint) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true",
        actor,
        key,
        print_,
    )
    if inserted:
        return None
    row = await conn.fetchrow(
        f"SELECT fingerprint, status, body FROM {schema}.idempotency_keys WHERE actor = $1 AND key = $2",
        actor,
        key,
    )
    if row["fingerprint"] != print_:
        raise Invalid(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request; use a new key for a new request",
            field="Idempotency-Key",
        )
    return Replay(row["status"], bytes(row["body"]))


async def record(conn: asyncpg.Connection, schema: str, actor: str, key: str, status: int, body: bytes) -> None:
    assert schema in _SCHEMAS
    await conn.execute(
        f"UPDATE {schema}.idempotency_keys SET status = $3, body = $4 WHERE actor = $1 AND key = $2",
        actor,
        key.strip(),
        status,
        body,
    )
