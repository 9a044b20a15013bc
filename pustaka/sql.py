"""Named SQL queries kept in `.sql` files: each query follows a `-- name: query_name` header line.

Parameters are named in the SQL (`WHERE barcode = :barcode`) and passed by name; a query module declares one
typed wrapper per query with the Struct its rows become:

    Q = load(__file__, "lending.sql")
    checkout_facts = Q.one("checkout_facts", CheckoutFacts)
    facts = await checkout_facts(conn, barcode=..., member_number=..., today=...)   # CheckoutFacts | None

A name missing from the call, or one the query does not take, is refused before the query is sent.
Queries still written with `$1` positional parameters are plain text (`Q.query_name`), until converted."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import asyncpg
import msgspec

_HEADER = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)
_TOKEN = re.compile(r"'(?:[^']|'')*'|--[^\n]*|(?<![:\w]):([a-z_][a-z0-9_]*)\b")
"""A string literal or a comment (left as they are), or a named parameter `:name` (not a `::cast`)."""

R = TypeVar("R")


class Sql:
    """One query's text with its named parameters turned into `$n`, and their order."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.params: list[str] = []

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name is None:
                return match.group(0)
            if name not in self.params:
                self.params.append(name)
            return f"${self.params.index(name) + 1}"

        self.text = _TOKEN.sub(number, text)

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        if set(values) != set(self.params):
            missing = sorted(set(self.params) - set(values))
            extra = sorted(set(values) - set(self.params))
            raise TypeError(f"query {self.name}: missing parameters {missing}, unknown parameters {extra}")
        return [values[p] for p in self.params]


class _Typed(Generic[R]):
    def __init__(self, sql: Sql, row: type[R]) -> None:
        self.sql = sql
        self.row = row

    def _convert(self, record: asyncpg.Record) -> R:
        return msgspec.convert(dict(record), self.row)


class One(_Typed[R]):
    """A query that yields at most one row."""

    async def __call__(self, conn: asyncpg.Connection, **params: Any) -> R | None:
        record = await conn.fetchrow(self.sql.text, *self.sql.args(params))
        return None if record is None else self._convert(record)


class All(_Typed[R]):
    """A query that yields rows."""

    async def __call__(self, conn: asyncpg.Connection, **params: Any) -> list[R]:
        return [self._convert(r) for r in await conn.fetch(self.sql.text, *self.sql.args(params))]


class Batches(_Typed[R]):
    """A query read through a cursor (inside a transaction), its rows yielded in lists of `size`. For long
    streams (a search rebuild): each Struct is built from its record's values by position, which is several
    times cheaper than by name (and does not check the values' types: the SQL's column types are the
    contract); the columns' names are checked against the Struct's fields once per cursor."""

    async def __call__(self, conn: asyncpg.Connection, size: int, **params: Any) -> AsyncIterator[list[R]]:
        cursor = await conn.cursor(self.sql.text, *self.sql.args(params))
        fields = getattr(self.row, "__struct_fields__", None)
        checked = False
        while records := await cursor.fetch(size):
            if not checked:
                if tuple(records[0].keys()) != fields:
                    raise TypeError(
                        f"query {self.sql.name}: columns {list(records[0].keys())} are not the fields "
                        f"of {self.row.__name__} in order"
                    )
                checked = True
            yield [self.row(*r) for r in records]


class Value(Generic[R]):
    """A query that yields one value (the first column of the first row), or None."""

    def __init__(self, sql: Sql, kind: type[R]) -> None:
        self.sql = sql
        self.kind = kind

    async def __call__(self, conn: asyncpg.Connection, **params: Any) -> R | None:
        value = await conn.fetchval(self.sql.text, *self.sql.args(params))
        return None if value is None else msgspec.convert(value, self.kind)


class Execute:
    """A statement run for its effect; `many` runs it once per set of parameters (`executemany`)."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    async def __call__(self, conn: asyncpg.Connection, **params: Any) -> str:
        return await conn.execute(self.sql.text, *self.sql.args(params))

    async def many(self, conn: asyncpg.Connection, rows: Iterable[Mapping[str, Any]]) -> None:
        await conn.executemany(self.sql.text, [self.sql.args(r) for r in rows])


class Queries:
    """The queries of one `.sql` file: `Q.one(name, Row)`, `Q.all`, `Q.value`, `Q.execute` declare typed
    wrappers (`Q.batches`: a stream read through a cursor); `Q.name` is a query's text as written (for queries
    with positional parameters)."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        parts = _HEADER.split(text)
        self._queries: dict[str, str] = {}
        for name, body in zip(parts[1::2], parts[2::2]):
            if name in self._queries:
                raise ValueError(f"{path}: query {name!r} is defined twice")
            self._queries[name] = body.strip().rstrip(";")
        self._path = path

    def __getattr__(self, name: str) -> str:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(f"{self._path.name} has no query named {name!r}") from None

    def sql(self, name: str) -> Sql:
        return Sql(name, getattr(self, name))

    def one(self, name: str, row: type[R]) -> One[R]:
        return One(self.sql(name), row)

    def all(self, name: str, row: type[R]) -> All[R]:
        return All(self.sql(name), row)

    def batches(self, name: str, row: type[R]) -> Batches[R]:
        return Batches(self.sql(name), row)

    def value(self, name: str, kind: type[R]) -> Value[R]:
        return Value(self.sql(name), kind)

    def execute(self, name: str) -> Execute:
        return Execute(self.sql(name))

    def names(self) -> list[str]:
        return list(self._queries)


def load(module_file: str, name: str = "queries.sql") -> Queries:
    """Load the `.sql` file that sits next to a module: `load(__file__)`."""
    return Queries(Path(module_file).with_name(name))
